// kstack: the C half records the kernel call stack in a stack map and yields
// its id, tagged; the renderer reads the frames from the map when the value is
// printed and shows them as bpftrace does (symbols from /proc/kallsyms).
import { types, type Builtin, type RenderTag, type RunSession, type ValueRenderer } from '../../sdk/index.ts';
import { kernelSymbolOffset } from '../../lib/host/index.ts';
import { expectArgs, exprArg } from './define.ts';

/** The stack map kstack() records into (stack ids index it); the renderer reads frames from it. */
export const KERNEL_STACK_MAP = 'bs_kstacks';
const MAX_FRAMES = 127;

type StackMode = 'bpftrace' | 'perf' | 'raw';
const stackModes = new Set(['bpftrace', 'perf', 'raw']);

/** kstack's values: a stack id in the stack map `map`, printed as at most `limit` frames. */
export interface KstackTag extends RenderTag {
  kind: 'kstack';
  map: string;
  mode: StackMode;
  limit: number;
}

/** `kstack`, `kstack(limit)`, `kstack(mode)`, `kstack(mode, limit)`: the kernel call stack here. */
const kstack: Builtin = {
  name: 'kstack',
  doc: `:variant kstack_t kstack([StackMode mode, ][int limit])
The kernel call stack where the probe fired: at most \`limit\` frames (1 to
127, default 127), symbolized in user space when printed. \`mode\` picks the
format: \`bpftrace\` (a function+offset per line, the default), \`perf\` (address,
function and \`[kernel.kallsyms]\`, as perf prints) or \`raw\` (addresses only).

\`\`\`
profile:hz:99 { @[kstack(5)] = count(); }
\`\`\``,
  bareword: true,
  check(args, tc, span) {
    expectArgs('kstack', args, 0, 2, tc, span);
    let mode: StackMode = 'bpftrace';
    let limit = MAX_FRAMES;
    for (const a of args) {
      if (a.kind === 'Identifier' && stackModes.has(a.name)) mode = a.name as StackMode;
      else {
        const n = tc.constant(exprArg(a, tc));
        if (n === undefined) return tc.fail('kstack() takes a mode (bpftrace, perf, raw) and/or a constant frame limit', a.span);
        if (n < 1n || n > BigInt(MAX_FRAMES)) tc.fail(`kstack() limit must be 1..${MAX_FRAMES}`, a.span);
        limit = Number(n);
      }
    }
    const render: KstackTag = { kind: 'kstack', map: KERNEL_STACK_MAP, mode, limit };
    return { ...types.int64, render };
  },
  emit(_args, ec) {
    ec.declare(`struct {\n  __uint(type, BPF_MAP_TYPE_STACK_TRACE);\n  __uint(key_size, 4);\n  __uint(value_size, ${MAX_FRAMES} * 8);\n  __uint(max_entries, ${ec.config.maxMapKeys});\n} ${KERNEL_STACK_MAP} SEC(".maps");\n`);
    return `((__s64)bpf_get_stackid(ctx, &${KERNEL_STACK_MAP}, 0))`;
  },
};

/** The instruction pointers of stack `id` in the stack map, or [] when it is not there (a failed bpf_get_stackid). */
function stackFrames(session: RunSession, map: string, id: number): bigint[] {
  if (id < 0) return [];
  const key = Buffer.alloc(4);
  key.writeUInt32LE(id);
  const value = session.map(map).lookup(key);
  if (!value) return [];
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const frames: bigint[] = [];
  for (let o = 0; o + 8 <= value.length; o += 8) frames.push(view.getBigUint64(o, true));
  return frames;
}

/** A kstack as bpftrace prints it: a newline, then one indented frame per line. */
function formatKernelStack(frames: bigint[], mode: StackMode, limit: number): string {
  const shown = frames.filter((ip) => ip !== 0n).slice(0, limit);
  const line = (ip: bigint) => {
    if (mode === 'raw') return ip.toString(16);
    const name = kernelSymbolOffset(ip);
    return mode === 'perf' ? `\t${ip.toString(16)} ${name} ([kernel.kallsyms])` : `        ${name}`;
  };
  return `\n${shown.map((ip) => `${line(ip)}\n`).join('')}`;
}

const kstackRenderer: ValueRenderer = {
  kind: 'kstack',
  open: (session) => (value, tag) => {
    const { map, mode, limit } = tag as KstackTag;
    const frames = stackFrames(session, map, Number(BigInt.asIntN(64, value)));
    return { value: formatKernelStack(frames, mode, limit), type: { kind: 'string', size: 8192 } };
  },
};

export const kstackBuiltins: Builtin[] = [kstack];
export const kstackRenderers: ValueRenderer[] = [kstackRenderer];
