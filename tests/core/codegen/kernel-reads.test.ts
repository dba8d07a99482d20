// generate() on members of kernel structs, over fake kernel types (no BTF):
// each member is read with CO-RE, one probe read of just its bytes at an
// address relocated against the running kernel, and the partial kernel
// declarations name only the members the unit touched.
import test from 'ava';
import { compileC } from '../../../core/build/index.ts';
import { generateScript, probeFunction } from '../../../testing/fixed-env/index.ts';
import type { HelperErrorAction } from '../../../sdk/index.ts';

test('a member through a kernel pointer is a CO-RE read; a chain of pointers reads each pointer in turn', async (t) => {
  const unit = generateScript('begin { $t = curtask; @p = $t->parent->pid; }');
  t.deepEqual(unit.kernel.used, ['task_struct.parent', 'task_struct.pid']);
  const parent = '({ struct task_struct *__p2 = ((struct task_struct *)(v_t)); __u64 __v3; __builtin_memset(&__v3, 0, sizeof(__v3)); '
    + 'if (__p2) bpf_probe_read_kernel(&__v3, sizeof(__v3), __builtin_preserve_access_index(&__p2->parent)); __v3; })';
  const pid = `({ struct task_struct *__p4 = ((struct task_struct *)(${parent})); __s32 __v5; __builtin_memset(&__v5, 0, sizeof(__v5)); `
    + 'if (__p4) bpf_probe_read_kernel(&__v5, sizeof(__v5), __builtin_preserve_access_index(&__p4->pid)); __v5; })';
  t.is(probeFunction(unit.c), [
    'SEC("raw_tp")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  __u64 v_t = 0;',
    '  v_t = ((__u64)(((__u64)bpf_get_current_task())));',
    '  {',
    '    __u64 __key0 = 0;',
    `    __s64 __val1 = ((__s64)(${pid}));`,
    '    ({ long __ur6 = bpf_map_update_elem(&map_p, &__key0, &__val1, BPF_ANY); if (__ur6 < 0) bs_update_failed(0, __ur6); });',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  t.deepEqual(unit.manifest.maps.map((m) => [m.name, m.value]), [['@p', { kind: 'plain', type: { kind: 'int', size: 8, signed: true } }]]);
  // The partial declaration, before the probe functions.
  t.true(unit.c.includes('struct task_struct {\n  int pid;\n  struct task_struct *parent;\n} __attribute__((preserve_access_index));\n'));
  t.notThrows(() => compileC(unit.c));
});

test('a member of an embedded struct is one address computation from the pointer, not a copy of the outer struct', async (t) => {
  const unit = generateScript('begin { @r = curtask->se.on_rq; }');
  t.deepEqual(unit.kernel.used, ['sched_entity.on_rq', 'task_struct.se']);
  const read = '({ struct task_struct *__p2 = ((struct task_struct *)(((__u64)bpf_get_current_task()))); __u32 __v3; __builtin_memset(&__v3, 0, sizeof(__v3)); '
    + 'if (__p2) bpf_probe_read_kernel(&__v3, sizeof(__v3), __builtin_preserve_access_index(&__p2->se.on_rq)); __v3; })';
  t.is(probeFunction(unit.c), [
    'SEC("raw_tp")',
    'int bs_probe_0(void *ctx)',
    '{',
    '  {',
    '    __u64 __key0 = 0;',
    `    __u64 __val1 = ((__u64)(${read}));`,
    '    ({ long __ur4 = bpf_map_update_elem(&map_r, &__key0, &__val1, BPF_ANY); if (__ur4 < 0) bs_update_failed(0, __ur4); });',
    '  }',
    '  return 0;',
    '}',
  ].join('\n'));
  t.true(unit.c.includes('struct sched_entity {\n  unsigned int on_rq;\n} __attribute__((preserve_access_index));\n\nstruct task_struct {\n  struct sched_entity se;\n}'));
  t.notThrows(() => compileC(unit.c));
});

test('with -k, a failed CO-RE read sends a helper_error event with the script location', async (t) => {
  const unit = generateScript('begin { @p = curtask->pid; }', { config: { warnHelperErrors: true } });
  const helperErrors = unit.manifest.actions.filter((a): a is HelperErrorAction => a.kind === 'helper_error');
  t.deepEqual(helperErrors.map((a) => a.kind === 'helper_error' && [a.helper, a.span?.line, a.span?.col]), [
    ['probe_read_kernel', 1, 14],
    ['map_update_elem', 1, 9],
  ]);
  t.regex(probeFunction(unit.c), /long __hr\d+ = bpf_probe_read_kernel\(&__v\d+, sizeof\(__v\d+\), __builtin_preserve_access_index\(&__p\d+->pid\)\); if \(__hr\d+ < 0\) \(\{ struct bs_event_0 \*/);
  t.notThrows(() => compileC(unit.c));
});
