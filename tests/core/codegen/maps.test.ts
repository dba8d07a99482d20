// generate() on map updates, without the kernel: aggregations (count, sum,
// hist) and plain values (a string key, a tuple of a string and an integer),
// checked in the Manifest's map layouts and in the probe function's C.
import test from 'ava';
import { compileC } from '../../../core/build/index.ts';
import { generateScript, probeFunction } from '../../../testing/fixed-env/index.ts';
import { histBucketCount, lhistBucketCount } from '../../../core/manifest/index.ts';

test('count, sum and hist update per-CPU maps through the prelude helpers', async (t) => {
  const unit = generateScript('tracepoint:syscalls:sys_enter_openat { @c[pid] = count(); @s = sum(args.flags); @h = hist(args.mode); }');
  t.deepEqual(unit.manifest.maps, [
    {
      name: '@c', cName: 'map_c', bpfType: 'percpu_hash', keyType: { kind: 'int', size: 8, signed: false }, keySize: 8,
      value: { kind: 'count' }, valueSize: 8, maxEntries: 4096,
    },
    // A keyless hist is a per-CPU array of its 65 buckets (counter-arrays.ts); keyed, it keys on (user key, bucket).
    { name: '@h', cName: 'map_h', bpfType: 'percpu_array', keyType: undefined, keySize: 4, value: { kind: 'hist', bits: 0 }, valueSize: 8, maxEntries: 65 },
    { name: '@s', cName: 'map_s', bpfType: 'percpu_hash', keyType: undefined, keySize: 8, value: { kind: 'sum', signed: false }, valueSize: 8, maxEntries: 4096 },
  ]);
  // Each hash update reports a new key that a full map could not take, at its assignment; an array's bucket is always there.
  const update = (col: number, endCol: number) => ({ kind: 'helper_error', helper: 'map_update_elem', span: { file: 'stdin', line: 1, col, endLine: 1, endCol } });
  t.deepEqual(unit.manifest.actions, [{ id: 0, ...update(40, 57) }, { id: 1, ...update(59, 79) }]);
  t.deepEqual(unit.manifest.probes, [{
    programName: 'bs_probe_0', section: 'tracepoint/syscalls/sys_enter_openat', provider: 'tracepoint',
    name: 'tracepoint:syscalls:sys_enter_openat', target: { category: 'syscalls', event: 'sys_enter_openat' },
  }]);
  const args = '((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx))';
  t.is(probeFunction(unit.c), [
    'SEC("tracepoint/syscalls/sys_enter_openat")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  {',
    '    __u64 __key0 = ((__u64)(((__u32)(bpf_get_current_pid_tgid() >> 32))));',
    // The update's result is negative when a new key could not be stored: bs_update_failed sends action 0 with it.
    '    ({ long __ur1 = bs_agg_add(&map_c, &__key0, 1); if (__ur1 < 0) bs_update_failed(0, __ur1); });',
    '  }',
    '  {',
    '    __u64 __key2 = {};',
    `    ({ long __ur3 = bs_agg_add(&map_s, &__key2, ((__s64)(${args}.flags))); if (__ur3 < 0) bs_update_failed(1, __ur3); });`,
    '  }',
    '  {',
    '    struct bs_bucket_index __key4 = {};',
    `    (__key4.bucket = __bt_hist_bucket(((__s64)(${args}.mode)), 0), bs_agg_add(&map_h, &__key4, 1));`,
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  // The maps and the bucket index struct are declared for clang; the array's key is a u32 (the kernel checks its BTF).
  t.true(unit.c.includes('struct bs_bucket_index {\n  __u32 bucket;\n};\n'));
  t.true(unit.c.includes('  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n  __uint(max_entries, 65);\n  __type(key, __u32);\n  __type(value, __s64);\n} map_h SEC(".maps");'));
  t.true(unit.c.includes('  __uint(type, BPF_MAP_TYPE_PERCPU_HASH);\n  __uint(max_entries, 4096);\n  __type(key, __u64);\n  __type(value, __s64);\n} map_c SEC(".maps");'));
  t.notThrows(() => compileC(unit.c));
});

test('a tuple of a string and an integer is stored whole, keyed by a string', async (t) => {
  const unit = generateScript('tracepoint:syscalls:sys_enter_openat { @files[comm] = (str(args.filename), args.flags); }');
  t.deepEqual(unit.manifest.maps, [{
    name: '@files', cName: 'map_files', bpfType: 'hash', keyType: { kind: 'string', size: 16 }, keySize: 16,
    value: {
      kind: 'plain',
      type: {
        kind: 'tuple',
        elements: [{ type: { kind: 'string', size: 64 }, offset: 0 }, { type: { kind: 'int', size: 8, signed: false }, offset: 64 }],
        size: 72,
      },
    },
    valueSize: 72,
    maxEntries: 4096,
  }]);
  const args = '((*(struct _tracepoint_syscalls_sys_enter_openat *)ctx))';
  // str() reads one byte more than its string holds: a string that fills it lacks its NUL (truncated).
  const readStr = '({ union { struct bs_str_64 v; char raw[65]; } __str = {}; __u32 __len = 65; '
    + `const void *__ptr = (const void *)(__u64)(${args}.filename); `
    + 'if (bpf_probe_read_user_str(__str.raw, __len, __ptr) < 0) bpf_probe_read_kernel_str(__str.raw, __len, __ptr); __str.v; })';
  t.is(probeFunction(unit.c), [
    'SEC("tracepoint/syscalls/sys_enter_openat")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  {',
    '    struct bs_str_16 __key0 = ({ struct bs_str_16 __comm; bpf_get_current_comm(__comm.s, sizeof(__comm.s)); __comm; });',
    `    struct bs_tuple_0 __val1 = ((struct bs_tuple_0){ .f0 = ${readStr}, .f1 = ${args}.flags });`,
    '    ({ long __ur2 = bpf_map_update_elem(&map_files, &__key0, &__val1, BPF_ANY); if (__ur2 < 0) bs_update_failed(0, __ur2); });',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  // Strings and tuples are C structs whose layout matches the Manifest's, checked at compile time.
  t.true(unit.c.includes('struct bs_tuple_0 {\n  struct bs_str_64 f0;\n  __u64 f1;\n};\n'
    + '_Static_assert(__builtin_offsetof(struct bs_tuple_0, f0) == 0, "struct bs_tuple_0.f0");\n'
    + '_Static_assert(__builtin_offsetof(struct bs_tuple_0, f1) == 64, "struct bs_tuple_0.f1");'));
  t.notThrows(() => compileC(unit.c));
});

test('a keyless count() is one per-CPU array slot, which the verifier looks up inline', (t) => {
  const unit = generateScript('tracepoint:syscalls:sys_enter_openat { @ = count(); @n = count(); } interval:s:1 { print(@); clear(@); if (@n > 10) { exit(); } }');
  for (const name of ['@', '@n']) {
    t.like(unit.manifest.maps.find((m) => m.name === name), { bpfType: 'percpu_array', keySize: 4, maxEntries: 1, value: { kind: 'count' } });
  }
  t.true(unit.c.includes('  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n  __uint(max_entries, 1);\n  __type(key, __u32);\n  __type(value, __s64);\n} map_ SEC(".maps");'));
  t.true(probeFunction(unit.c).includes('    __u32 __key0 = {};\n    bs_agg_add(&map_, &__key0, 1);'));
  t.notThrows(() => compileC(unit.c));
});

test('a keyless hist() or lhist() is a per-CPU array of its buckets, indexed by the bucket', (t) => {
  const unit = generateScript('tracepoint:syscalls:sys_enter_openat { @h = hist(pid, 2); @l = lhist(pid, 0, 1000, 10); } interval:s:1 { print(@h); clear(@h); }');
  t.like(unit.manifest.maps.find((m) => m.name === '@h'), { bpfType: 'percpu_array', keySize: 4, maxEntries: histBucketCount(2), value: { kind: 'hist', bits: 2 } });
  t.like(unit.manifest.maps.find((m) => m.name === '@l'), { bpfType: 'percpu_array', keySize: 4, maxEntries: lhistBucketCount(0n, 1000n, 10n), value: { kind: 'lhist' } });
  t.true(unit.c.includes(`  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);\n  __uint(max_entries, ${histBucketCount(2)});\n  __type(key, __u32);\n  __type(value, __s64);\n} map_h SEC(".maps");`));
  t.true(unit.c.includes('struct bs_bucket_index {\n  __u32 bucket;\n};'));
  t.regex(probeFunction(unit.c), /struct bs_bucket_index __key\d+ = \{\};\n\s+\(__key\d+\.bucket = __bt_hist_bucket\(/);
  t.notThrows(() => compileC(unit.c));
  // Keyed histograms, and one that zero() keeps with zero counts, stay in a hash.
  const keyed = generateScript('tracepoint:syscalls:sys_enter_openat { @h[comm] = hist(pid); @z = hist(pid); } interval:s:1 { zero(@z); }');
  t.deepEqual(keyed.manifest.maps.map((m) => m.bpfType), ['percpu_hash', 'percpu_hash']);
});

test('a keyless count() stays in a per-CPU hash where a zero count must stay an entry, or it is deleted or changed otherwise', (t) => {
  const uses = [
    'zero(@c);', // keeps the key with 0
    'delete(@c);', // an array slot cannot be deleted
    '@c++;',
    '@c += 2;',
    'for ($kv : @c) { }',
  ];
  for (const use of uses) {
    const unit = generateScript(`tracepoint:syscalls:sys_enter_openat { @c = count(); } interval:s:1 { ${use} }`);
    t.is(unit.manifest.maps.find((m) => m.name === '@c')?.bpfType, 'percpu_hash', use);
  }
  // Other aggregates keep a zero value as an entry (sum(0)), keyed counts need a hash.
  const unit = generateScript('tracepoint:syscalls:sys_enter_openat { @s = sum(0); @k[pid] = count(); }');
  t.deepEqual(unit.manifest.maps.map((m) => m.bpfType), ['percpu_hash', 'percpu_hash']);
});
