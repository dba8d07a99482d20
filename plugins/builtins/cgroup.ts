// Cgroups by id: `cgroupid(path)` folds a cgroup's id at compile time, and
// `cgroup_path(id[, filter])` tags its id so that user space prints the
// cgroup's path when the value is printed (the id is looked up then, so a
// reused id can print another path), as bpftrace does.
import { types, type Builtin, type RenderTag, type ValueRenderer } from '../../sdk/index.ts';
import { cgroupIdOf, cgroupPathText } from '../../lib/host/index.ts';
import { argKindName, expectArgCount } from './arg-checks.ts';

const cgroupid: Builtin = {
  name: 'cgroupid',
  doc: `:variant uint64 cgroupid(const string path)
**compile time**

The id of the cgroup at \`path\` (a folder of a cgroup file system; for cgroup
v2 it is what \`cgroup\` reads).

\`\`\`
tracepoint:syscalls:sys_enter_openat /cgroup == cgroupid("/sys/fs/cgroup/system.slice")/ { @[comm] = count(); }
\`\`\``,
  check(args, tc, span) {
    expectArgCount('cgroupid', args, 1, 1, tc, span);
    if (args[0]!.kind !== 'String') tc.fail(`cgroupid() expects a string literal (${argKindName(args[0]!, tc)} provided)`, span);
    return types.uint64;
  },
  constant(args, tc) {
    const path = (args[0] as { value: string }).value;
    try {
      return cgroupIdOf(path);
    } catch (e) {
      return tc.fail((e as Error).message, args[0]!.span);
    }
  },
  emit() {
    throw new Error('cgroupid() is folded at compile time');
  },
};

/** cgroup_path()'s values: cgroup ids, printed as the paths they have in the hierarchies `filter` matches. */
export interface CgroupPathTag extends RenderTag {
  kind: 'cgroup_path';
  filter: string;
}

const cgroupPath: Builtin = {
  name: 'cgroup_path',
  doc: `:variant cgroup_path_t cgroup_path(int cgroupid, [string filter])
The path of the cgroup with id \`cgroupid\`, found in user space when the value
is printed (so it can only be printed, and a reused id may print another
path). Each mounted hierarchy whose name matches \`filter\` (a wildcard; \`*\`
by default) is searched; cgroup v2 is named \`unified\` wherever it is mounted,
a v1 hierarchy by its mount point's last component. The result is
\`name:path\` for each hierarchy the cgroup is in, joined by commas.

\`\`\`
tracepoint:syscalls:sys_enter_openat { @[cgroup_path(cgroup)] = count(); }
\`\`\``,
  check(args, tc, span) {
    expectArgCount('cgroup_path', args, 1, 2, tc, span);
    const id = args[0]!;
    if (id.kind === 'TypeArg' || tc.typeOf(id).kind !== 'int') tc.fail(`cgroup_path() only supports int arguments (${argKindName(id, tc)} provided)`, span);
    const filter = args[1];
    if (filter && filter.kind !== 'String') tc.fail(`cgroup_path() expects a string literal (${argKindName(filter, tc)} provided)`, span);
    const render: CgroupPathTag = { kind: 'cgroup_path', filter: filter?.kind === 'String' ? filter.value : '*' };
    return { ...types.uint64, render };
  },
  emit(args, ec) {
    return `((__u64)(${ec.expr(args[0] as Parameters<typeof ec.expr>[0])}))`;
  },
};

const cgroupPathRenderer: ValueRenderer = {
  kind: 'cgroup_path',
  open: () => (id, tag) => {
    const text = cgroupPathText(id, (tag as CgroupPathTag).filter);
    return { value: text, type: types.stringType(Buffer.byteLength(text) + 1) };
  },
};

export const cgroupBuiltins: Builtin[] = [cgroupid, cgroupPath];
export const cgroupRenderers: ValueRenderer[] = [cgroupPathRenderer];
