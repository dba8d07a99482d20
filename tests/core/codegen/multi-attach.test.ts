// Probes that may share a link (ExpandedProbe.multiAttach) run from one
// program that picks each by the link's BPF cookie: the grouping, the
// dispatch, and the functions shared by probes of the same C.
import test from 'ava';
import { createBpfscript as createContainer } from '../../../cli/plugins.ts';
import { compileScript } from '../../../core/session/index.ts';
import { compileC } from '../../../core/build/index.ts';
import { keptFrameMaps, shareLinks } from '../../../core/codegen/multi-attach.ts';
import { MULTI_ATTACH_MAX_FUNCTIONS } from '../../../core/probes/index.ts';
import type { EmittedProbe } from '../../../core/codegen/shared-hooks.ts';
import { fixtureProgram } from '../../helpers/run.ts';

/** A uprobe's emitted C: `body` is its statement. */
function emitted(index: number, body: string, group = '/bin/x', multi = true): EmittedProbe {
  const functionName = `bs_probe_${index}`;
  return {
    expanded: { name: `uprobe:${group}:f${index}`, provider: 'uprobe', section: 'uprobe', target: { binary: group, offset: index }, ...(multi ? { multiAttach: { group, section: 'uprobe.multi' } } : {}) },
    functionName,
    section: 'uprobe',
    text: `SEC("uprobe")\nint ${functionName}(void *ctx)\n{\n  ${body}\n  return 0;\n}\n`,
  };
}

test('probes of different C run from one program that calls each by its cookie', (t) => {
  const probes = [emitted(3, 'a();'), emitted(4, 'b();'), emitted(5, 'a();')];
  const ap = {};
  const out = shareLinks(probes, () => ap);
  t.deepEqual(out.rest, []);
  t.deepEqual([...out.dropped], ['bs_probe_5']);
  t.deepEqual([...out.programs], [
    ['bs_probe_3', { programName: 'bs_multi_3', section: 'uprobe.multi', cookie: 0 }],
    ['bs_probe_4', { programName: 'bs_multi_3', section: 'uprobe.multi', cookie: 1 }],
    ['bs_probe_5', { programName: 'bs_multi_3', section: 'uprobe.multi', cookie: 2 }],
  ]);
  t.is(out.functions.join('\n'), [
    'static __noinline int bs_probe_3(void *ctx)\n{\n  a();\n  return 0;\n}\n',
    'static __noinline int bs_probe_4(void *ctx)\n{\n  b();\n  return 0;\n}\n',
    'SEC("uprobe.multi")\nint bs_multi_3(void *ctx)\n{\n  switch (bpf_get_attach_cookie(ctx)) {\n  case 0:\n  case 2:\n    return bs_probe_3(ctx);\n  case 1:\n    return bs_probe_4(ctx);\n  }\n  return 0;\n}\n',
  ].join('\n'));
});

test('probes of the same C (but for their name) share one function, the program itself, with no cookie read', (t) => {
  const probes = [emitted(1, 'bs_probe_1_for0(); x();'), emitted(2, 'bs_probe_2_for0(); x();')];
  const out = shareLinks(probes, () => ({}));
  const ap = {};
  const same = shareLinks(probes, () => ap);
  t.is(out.programs.size, 2, 'each attach point its own group');
  t.deepEqual([...same.dropped], ['bs_probe_2']);
  t.deepEqual(same.programs.get('bs_probe_2'), { programName: 'bs_probe_1', section: 'uprobe.multi', cookie: 0 });
  t.deepEqual(same.functions, ['SEC("uprobe.multi")\nint bs_probe_1(void *ctx)\n{\n  bs_probe_1_for0(); x();\n  return 0;\n}\n']);
  t.deepEqual(keptFrameMaps(['bs_frame_bs_probe_1', 'bs_frame_bs_probe_2', 'bs_frame_bs_probe_7'], same.dropped), ['bs_frame_bs_probe_1', 'bs_frame_bs_probe_7']);
});

test('groups are per binary; probes without multiAttach, or moved to another section, stay as they are', (t) => {
  const moved = { ...emitted(4, 'a();'), section: 'uprobe/other' };
  const probes = [emitted(1, 'a();', '/bin/x'), emitted(2, 'a();', '/bin/y'), emitted(3, 'a();', '/bin/x', false), moved];
  const out = shareLinks(probes, () => ({ same: true }));
  t.deepEqual(out.rest.map((p) => p.functionName), ['bs_probe_3', 'bs_probe_4']);
  t.deepEqual(out.programs.get('bs_probe_1'), { programName: 'bs_probe_1', section: 'uprobe.multi', cookie: 0 });
  t.deepEqual(out.programs.get('bs_probe_2'), { programName: 'bs_probe_2', section: 'uprobe.multi', cookie: 0 });
});

test('a group of more distinct functions than a program takes is split in several programs', (t) => {
  const probes = Array.from({ length: MULTI_ATTACH_MAX_FUNCTIONS + 2 }, (_, i) => emitted(i, `f${i}();`));
  const ap = {};
  const out = shareLinks(probes, () => ap);
  const last = MULTI_ATTACH_MAX_FUNCTIONS;
  t.deepEqual(out.programs.get(`bs_probe_${last - 1}`), { programName: 'bs_multi_0', section: 'uprobe.multi', cookie: last - 1 });
  t.deepEqual(out.programs.get(`bs_probe_${last}`), { programName: `bs_multi_${last}`, section: 'uprobe.multi', cookie: 0 });
  t.deepEqual(out.programs.get(`bs_probe_${last + 1}`), { programName: `bs_multi_${last}`, section: 'uprobe.multi', cookie: 1 });
});

test('a wildcard uprobe compiles to one uprobe.multi program; the Manifest gives each function its cookie', async (t) => {
  const prog = fixtureProgram('uprobe-multi-target');
  const container = await createContainer({});
  const text = `uprobe:${prog}:bs_multi_* { printf("%s\\n", func); } uretprobe:${prog}:bs_multi_t* { @[probe] = count(); }`;
  const { c, manifest } = await compileScript(container, { text, file: 'stdin', positional: [] });
  t.deepEqual(manifest.probes.map((p) => [p.name.replace(prog, 'P'), p.programName, p.section, p.cookie]), [
    ['uprobe:P:bs_multi_one', 'bs_multi_0', 'uprobe.multi', 0],
    ['uprobe:P:bs_multi_three', 'bs_multi_0', 'uprobe.multi', 1],
    ['uprobe:P:bs_multi_two', 'bs_multi_0', 'uprobe.multi', 2],
    ['uretprobe:P:bs_multi_three', 'bs_multi_3', 'uretprobe.multi', 0],
    ['uretprobe:P:bs_multi_two', 'bs_multi_3', 'uretprobe.multi', 1],
  ]);
  t.notThrows(() => compileC(c));
});

test('a uprobe without a wildcard keeps its own program and link', async (t) => {
  const prog = fixtureProgram('uprobe-multi-target');
  const container = await createContainer({});
  const { manifest } = await compileScript(container, { text: `uprobe:${prog}:bs_multi_one { }`, file: 'stdin', positional: [] });
  t.deepEqual(manifest.probes.map((p) => [p.programName, p.section, p.cookie]), [['bs_probe_0', 'uprobe', undefined]]);
});

test('max_bpf_progs counts the programs a wildcard uprobe makes, not its functions', async (t) => {
  const prog = fixtureProgram('uprobe-multi-target');
  const shared = await compileScript(await createContainer({}), { text: `config = { max_bpf_progs = 1 }\nuprobe:${prog}:bs_multi_* { }`, file: 'stdin', positional: [] });
  t.is(shared.manifest.probes.length, 3);
  const apart = createContainer({ config: { noFeatures: ['uprobe_multi'] } });
  await t.throwsAsync(async () => compileScript(await apart, { text: `config = { max_bpf_progs = 1 }\nuprobe:${prog}:bs_multi_* { }`, file: 'stdin', positional: [] }), {
    message: /Your program is trying to generate more than 3 BPF programs, which exceeds the current limit of 1/,
  });
});

test('probes that differ only in their values share one function, which reads them from a table by the cookie', (t) => {
  const value = (i: number) => `f(((struct bs_str_9){ .s = "f${i}" }), ${i * 2}, 16); /* bs_loop ${i} */ case 3: g(a[4]);`;
  const probes = [emitted(1, value(1)), emitted(2, value(2)), emitted(3, value(3))];
  const ap = {};
  const out = shareLinks(probes, () => ap);
  t.deepEqual([...out.dropped], ['bs_probe_2', 'bs_probe_3']);
  t.deepEqual([...out.programs.values()].map((p) => [p.programName, p.cookie]), [['bs_multi_1', 0], ['bs_multi_1', 1], ['bs_multi_1', 2]]);
  t.is(out.functions.join('\n'), [
    'struct bs_row_bs_probe_1 {\n  struct bs_str_9 p0;\n  __s64 p1;\n};\n',
    'static const struct bs_row_bs_probe_1 bs_rows_bs_probe_1[3] SEC(".rodata.bs_rows") = {',
    '  { { .s = "f1" }, 2 },\n  { { .s = "f2" }, 4 },\n  { { .s = "f3" }, 6 },\n};\n',
    'SEC("uprobe.multi")\nint bs_multi_1(void *ctx)\n{',
    '  __u64 __bs_cookie = bpf_get_attach_cookie(ctx);\n  if (__bs_cookie >= 3)\n    return 0;',
    '  const struct bs_row_bs_probe_1 *__bs_row = &bs_rows_bs_probe_1[__bs_cookie];',
    // The values that are the same in all (16), case labels and array sizes stay; the first probe's loop marker stays.
    '  f((*(struct bs_str_9 *)&__bs_row->p0), __bs_row->p1, 16); /* bs_loop 1 */ case 3: g(a[4]);\n  return 0;\n}\n',
  ].join('\n'));
});

test('probes whose C differs in more than values, or whose values differ in type, keep functions of their own', (t) => {
  const probes = [emitted(1, 'f(((struct bs_str_9){ .s = "a" }));'), emitted(2, 'f(((struct bs_str_10){ .s = "a" }));'), emitted(3, 'f(3); case 1:'), emitted(4, 'f(4); case 2:')];
  const out = shareLinks(probes, () => ({ same: true }));
  t.deepEqual([...out.dropped], []);
});

test('event structs of one layout count as the same', (t) => {
  const probes = [emitted(1, 'struct bs_event_1 *e = r(sizeof(struct bs_event_1)); e->id = 1;'), emitted(2, 'struct bs_event_3 *e = r(sizeof(struct bs_event_3)); e->id = 3;')];
  const ap = {};
  t.deepEqual([...shareLinks(probes, () => ap).dropped], []);
  const same = shareLinks(probes, () => ap, (id) => (id === 'bs_event_3' ? 'bs_event_1' : id));
  t.deepEqual([...same.dropped], ['bs_probe_2']);
  t.true(same.functions.join('\n').includes('struct bs_event_1 *e = r(sizeof(struct bs_event_1)); e->id = __bs_row->p0;'));
});

test('a wildcard uprobe whose probes use probe, func and printf compiles to one function and one table', async (t) => {
  const prog = fixtureProgram('uprobe-multi-target');
  const container = await createContainer({});
  const text = `uprobe:${prog}:bs_multi_* { printf("%s %s\\n", probe, func); @[probe, func] = count(); }`;
  const { c, manifest } = await compileScript(container, { text, file: 'stdin', positional: [] });
  t.deepEqual(manifest.probes.map((p) => [p.programName, p.cookie]), [['bs_multi_0', 0], ['bs_multi_0', 1], ['bs_multi_0', 2]]);
  t.notRegex(c, /__noinline int bs_probe_/);
  t.is(c.match(/SEC\("uprobe\.multi"\)/g)?.length, 1);
  t.regex(c, /bs_rows_bs_probe_0\[3\] SEC\("\.rodata\.bs_rows"\)/);
  t.notThrows(() => compileC(c));
});
