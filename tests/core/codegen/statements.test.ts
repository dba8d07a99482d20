// generate() on statements and operators, without the kernel: if/else, loops
// (a C loop over a range, while, and a loop over a map, which becomes a
// bpf_for_each_map_elem callback), and signed division through the prelude.
import test from 'ava';
import { compileC } from '../../../core/build/index.ts';
import { fixedKernelTypes, generateScript, probeFunction, probeFunctions } from '../../../testing/fixed-env/index.ts';

test('if/else, a range loop and a while loop are C statements over the scratch variables', async (t) => {
  const unit = generateScript('interval:ms:100 { $n = 0; for ($i : 0..4) { if ($i % 2 == 0) { $n += $i; } else { $n -= 1; } } while ($n > 10) { $n--; } @n = $n; }');
  t.deepEqual(unit.manifest.maps, [{
    name: '@n', cName: 'map_n', bpfType: 'hash', keyType: undefined, keySize: 8,
    value: { kind: 'plain', type: { kind: 'int', size: 8, signed: true } }, valueSize: 8, maxEntries: 4096,
  }]);
  t.is(probeFunction(unit.c), [
    'SEC("perf_event")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  __s64 v_n = 0;',
    '  __s64 v_i = 0;',
    '  __s64 __end0 = 0;',
    '  v_n = ((__s64)(0LL));',
    '  __end0 = 4LL;',
    '  for (v_i = 0LL; v_i < __end0; v_i++) { /* bs_loop 0 */',
    '    if ((((__u8)((__s64)(bs_smod((__s64)(v_i), (__s64)(2LL))) == (__s64)(0LL)))) != 0) {',
    '      v_n += v_i;',
    '    } else {',
    '      v_n -= ((__s64)(1LL));',
    '    }',
    '  }',
    '  while ((((__u8)((__s64)(v_n) > (__s64)(10LL)))) != 0) { /* bs_loop 1 */',
    '    (v_n--);',
    '  }',
    '  {',
    '    __u64 __key1 = 0;',
    '    __s64 __val2 = v_n;',
    '    ({ long __ur3 = bpf_map_update_elem(&map_n, &__key1, &__val2, BPF_ANY); if (__ur3 < 0) bs_update_failed(0, __ur3); });',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  t.notThrows(() => compileC(unit.c));
});

test('where the kernel has numeric iterators, a range loop runs on one (destroyed on every way out of its block)', async (t) => {
  const withIterators = {
    ...fixedKernelTypes,
    functionSignature: (name: string) => (name === 'bpf_iter_num_new' ? { params: [], returnType: { kind: 'int', size: 4, signed: true } as const } : undefined),
  };
  const unit = generateScript('begin { @n = 5; } interval:ms:100 { for ($i : 2..@n) { @m[$i] = 1; } }', { kernelTypes: withIterators });
  t.is(probeFunction(unit.c, 1), [
    'SEC("perf_event")',
    'int bs_probe_1(void *ctx)',
    '{',
    '  __s64 v_i = 0;',
    '  {',
    '    __s64 __end0 = ({ __u64 __key1 = 0; __s64 *__p2 = bpf_map_lookup_elem(&map_n, &__key1); __p2 ? *__p2 : 0; });',
    '    __s64 __from0 = 2LL;',
    '    struct bs_iter_num __it0 __attribute__((cleanup(bpf_iter_num_destroy)));',
    '    int *__k0;',
    '    (void)bpf_iter_num_destroy;',
    '    bpf_iter_num_new(&__it0, 0, bs_range_count(__from0, __end0));',
    '    while ((__k0 = bpf_iter_num_next(&__it0))) { /* bs_loop 0 */',
    '      v_i = __from0 + *__k0;',
    '      {',
    '        __s64 __key3 = v_i;',
    '        __s64 __val4 = ((__s64)(1LL));',
    '        bpf_map_update_elem(&map_m, &__key3, &__val4, BPF_ANY);',
    '      }',
    '    }',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  t.true(unit.c.includes('extern int *bpf_iter_num_next(struct bs_iter_num *it) __ksym;'));
  t.notThrows(() => compileC(unit.c));
});

test('where the kernel has numeric iterators, a while loop runs inside one bounded by the kernel loop limit, its condition first', async (t) => {
  const withIterators = {
    ...fixedKernelTypes,
    functionSignature: (name: string) => (name === 'bpf_iter_num_new' ? { params: [], returnType: { kind: 'int', size: 4, signed: true } as const } : undefined),
  };
  const unit = generateScript('interval:ms:100 { $i = 0; while ($i < 100000) { $i++; if ($i == 7) { continue; } @m[$i] = 1; } }', { kernelTypes: withIterators });
  t.is(probeFunction(unit.c), [
    'SEC("perf_event")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  __s64 v_i = 0;',
    '  v_i = ((__s64)(0LL));',
    '  {',
    '    struct bs_iter_num __it0 __attribute__((cleanup(bpf_iter_num_destroy)));',
    '    (void)bpf_iter_num_destroy;',
    '    bpf_iter_num_new(&__it0, 0, 8388608);',
    '    while (bpf_iter_num_next(&__it0)) { /* bs_loop 0 */',
    '      if (!((((__u8)((__s64)(v_i) < (__s64)(100000LL)))) != 0))',
    '        break;',
    '      (v_i++);',
    '      if ((((__u8)((__s64)(v_i) == (__s64)(7LL)))) != 0) {',
    '        continue;',
    '      }',
    '      {',
    '        __s64 __key1 = v_i;',
    '        __s64 __val2 = ((__s64)(1LL));',
    '        bpf_map_update_elem(&map_m, &__key1, &__val2, BPF_ANY);',
    '      }',
    '    }',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  t.deepEqual(unit.loops?.map((l) => [l.line, l.col]), [[1, 27]]);
  t.notThrows(() => compileC(unit.c));
});

test('a loop over a map is a callback that reaches the locals through a struct; break returns 1', async (t) => {
  const unit = generateScript('interval:s:1 { @c[cpu] = count(); } end { $total = 0; for ($kv : @c) { if ($kv.1 > 100) { break; } $total += $kv.1; } printf("%d\\n", $total); }');
  const span = { file: 'stdin', line: 1, col: 16, endLine: 1, endCol: 33 };
  t.deepEqual(unit.manifest.actions, [
    // count() under a new key of a full map fails: it is reported (the map's update, at the assignment).
    { kind: 'helper_error', id: 0, helper: 'map_update_elem', span },
    { kind: 'printf', id: 1, format: '%d\n', args: [{ type: { kind: 'int', size: 8, signed: true }, offset: 8 }] },
  ]);
  const end = probeFunctions(unit.c).slice(probeFunctions(unit.c).indexOf('struct bs_locals_'));
  t.is(end, [
    'struct bs_locals_bs_probe_1 {',
    '  void *ctx;',
    '  __s64 v_total;',
    '  struct bs_tuple_0 v_kv;',
    '};',
    '',
    'static long bs_probe_1_for0(void *map, const void *key, void *value, void *cb_ctx)',
    '{',
    '  struct bs_locals_bs_probe_1 *L = cb_ctx;',
    '  void *ctx = L->ctx;',
    // The count is read back as the sum over CPUs.
    '  L->v_kv = (struct bs_tuple_0){ .f0 = *(__u64 *)key, .f1 = bs_percpu_sum(&map_c, key) };',
    '  if ((((__u8)((__s64)((L->v_kv).f1) > (__s64)(100LL)))) != 0) {',
    '    return 1;',
    '  }',
    '  L->v_total += ((__s64)((L->v_kv).f1));',
    '  return 0;',
    '}',
    'SEC("raw_tp")',
    'int bs_probe_1(void *ctx)',
    '{',
    '  struct bs_locals_bs_probe_1 __locals = {};',
    '  struct bs_locals_bs_probe_1 *L = &__locals;',
    '  L->ctx = ctx;',
    '  L->v_total = ((__s64)(0LL));',
    '  bpf_for_each_map_elem(&map_c, bs_probe_1_for0, L, 0);',
    '  ({ struct bs_event_1 *__ev1 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_1), 0); if (__ev1) { __ev1->id = 1; __ev1->f0 = L->v_total; bpf_ringbuf_submit(__ev1, 0); } else { bs_drop(); } });',
    '  return 0;',
    '}',
    '',
  ].join('\n'));
  t.notThrows(() => compileC(unit.c));
});

test('signed division and remainder go through bs_sdiv/bs_smod (BPF before ISA v4 has no signed division)', async (t) => {
  const unit = generateScript('begin { $a = -7; $b = 2; @q = $a / $b; @m = $a % $b; $a /= $b; $u = (uint64)7; @uq = $u / 2; }');
  t.is(probeFunction(unit.c), [
    'SEC("raw_tp")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  __s64 v_a = 0;',
    '  __s64 v_b = 0;',
    '  __u64 v_u = 0;',
    '  v_a = (-7LL);',
    '  v_b = ((__s64)(2LL));',
    '  {',
    '    __u64 __key0 = 0;',
    // A divisor that may be zero is checked: 1 and a run-time warning (an event without fields), as bpftrace.
    '    __s64 __val1 = ({ __s64 __dl2 = (__s64)(v_a); __s64 __dr3 = (__s64)(v_b); __dr3 == 0 ? (({ struct bs_event_0 *__ev4 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_0), 0); if (__ev4) { __ev4->id = 0;  bpf_ringbuf_submit(__ev4, 0); } else { bs_drop(); } }), (__s64)1) : bs_sdiv(__dl2, __dr3); });',
    '    ({ long __ur5 = bpf_map_update_elem(&map_q, &__key0, &__val1, BPF_ANY); if (__ur5 < 0) bs_update_failed(1, __ur5); });',
    '  }',
    '  {',
    '    __u64 __key6 = 0;',
    '    __s64 __val7 = ({ __s64 __dl8 = (__s64)(v_a); __s64 __dr9 = (__s64)(v_b); __dr9 == 0 ? (({ struct bs_event_2 *__ev10 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_2), 0); if (__ev10) { __ev10->id = 2;  bpf_ringbuf_submit(__ev10, 0); } else { bs_drop(); } }), (__s64)1) : bs_smod(__dl8, __dr9); });',
    '    ({ long __ur11 = bpf_map_update_elem(&map_m, &__key6, &__val7, BPF_ANY); if (__ur11 < 0) bs_update_failed(3, __ur11); });',
    '  }',
    '  v_a = ({ __s64 __dl12 = v_a; __s64 __dr13 = v_b; __dr13 == 0 ? (({ struct bs_event_4 *__ev14 = bpf_ringbuf_reserve(&bs_events, sizeof(struct bs_event_4), 0); if (__ev14) { __ev14->id = 4;  bpf_ringbuf_submit(__ev14, 0); } else { bs_drop(); } }), (__s64)1) : bs_sdiv(__dl12, __dr13); });',
    '  v_u = 7ULL;',
    '  {',
    '    __u64 __key15 = 0;',
    // An unsigned result is a plain C division; a constant divisor other than zero needs no check.
    '    __u64 __val16 = ((__u64)(__s64)(v_u) / (__u64)(__s64)(2LL));',
    '    ({ long __ur17 = bpf_map_update_elem(&map_uq, &__key15, &__val16, BPF_ANY); if (__ur17 < 0) bs_update_failed(5, __ur17); });',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  // The helpers come with the prelude.
  t.true(unit.c.includes('static __always_inline __s64 bs_sdiv(__s64 a, __s64 b)'));
  t.true(unit.c.includes('static __always_inline __s64 bs_smod(__s64 a, __s64 b)'));
  t.notThrows(() => compileC(unit.c));
});

test('return N makes the probe program return N (a test that returns 1 fails); a bare return is 0', (t) => {
  const unit = generateScript('test:a { if (pid > 1) { return 1; } return; } bench:b { return pid % 2; }');
  t.is(probeFunctions(unit.c), [
    'SEC("xdp")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  if ((((__u8)((__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))) > (__s64)(1LL)))) != 0) {',
    '    return (int)(1LL);',
    '  }',
    '  return 0;',
    '  return 0;',
    '}',
    '',
    'SEC("xdp")',
    'int bs_probe_1(void *ctx)',
    '{',
    '  return (int)(((__u64)(__s64)(((__u32)(bpf_get_current_pid_tgid() >> 32))) % (__u64)(__s64)(2LL)));',
    '  return 0;',
    '}',
    '',
  ].join('\n'));
});

test('a small signed integer made a pointer is zero-extended, as upstream\'s int-to-pointer casts; wider or unsigned ones are cast as they are', (t) => {
  const unit = generateScript('begin { $a = (int8)-1; $b = (uint16)7; @p = (uint8 *)$a; @q = (uint8 *)$b; @r = (uint8 *)pid; }');
  // Pointers are addresses (__u64) in the C.
  t.true(unit.c.includes('((__u64)(__u64)(__u8)(v_a))'), unit.c);
  t.true(unit.c.includes('((__u64)(v_b))'), unit.c);
});
