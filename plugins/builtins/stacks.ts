// kstack and ustack: the C half records the kernel's or the process's call
// stack in a stack map and yields a value naming it (stack-value.ts); the
// renderers (stack-render.ts) read the frames back when the value is printed.
// len(stack) reads the frame count the value carries.
import { types, type Builtin, type BuiltinArgNode, type CheckContext, type EmitContext, type Span, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { exprArg } from './define.ts';
import { ownTgid } from './own-tgid.ts';
import { FRAMES_MASK, FRAMES_SHIFT, MAX_FRAMES, PID_SHIFT, frameSize, stackModes, type StackMode, type StackTag } from './stack-value.ts';

/** The stack maps kstack() and ustack() record into (stack ids index them). */
export const KERNEL_STACK_MAP = 'bs_kstacks';
export const USER_STACK_MAP = 'bs_ustacks';
/** ustack(build_id): a stack map whose frames are (build ID, file offset) pairs. */
export const USER_BUILD_ID_STACK_MAP = 'bs_ustacks_build_id';

/** Defined when the program asks len() of a stack: stack values then carry their frame count. */
const COUNT_FRAMES = 'BS_COUNT_STACK_FRAMES';

type StackKind = 'kstack' | 'ustack';

function mapOf(kind: StackKind, mode: StackMode): string {
  if (kind === 'kstack') return KERNEL_STACK_MAP;
  return mode === 'build_id' ? USER_BUILD_ID_STACK_MAP : USER_STACK_MAP;
}

/** `kstack(mode, limit)`'s arguments: an optional mode identifier first, then an optional constant limit. */
function stackArgs(name: StackKind, args: BuiltinArgNode[], tc: CheckContext, span: Span): { mode: StackMode; limit: number } {
  if (args.length > 2) tc.fail('Invalid number of arguments', span);
  let mode = tc.config.stackMode as StackMode;
  let rest = args;
  const first = args[0];
  if (first?.kind === 'Identifier') {
    if (!stackModes.includes(first.name as StackMode)) {
      tc.fail('Error parsing stack mode: Invalid value for stack_mode: valid values are bpftrace, raw, perf, and build_id.', first.span);
    }
    mode = first.name as StackMode;
    rest = args.slice(1);
  } else if (args.length === 2) tc.fail('Expected stack mode as first argument', span);
  let limit = MAX_FRAMES;
  if (rest[0]) {
    const n = tc.constant(exprArg(rest[0], tc));
    if (n === undefined) tc.fail(`${name}: invalid limit value`, rest[0].span);
    if (n < 1n || n > BigInt(MAX_FRAMES)) tc.fail(`${name}() limit must be 1..${MAX_FRAMES}`, rest[0].span);
    limit = Number(n);
  }
  if (mode === 'build_id' && name === 'kstack') tc.fail("'build_id' stack mode can only be used for ustack", span);
  return { mode, limit };
}

function stackMapDeclaration(map: string, mode: StackMode, maxEntries: number): string {
  const flags = mode === 'build_id' ? '\n  __uint(map_flags, BPF_F_STACK_BUILD_ID);' : '';
  return `struct {\n  __uint(type, BPF_MAP_TYPE_STACK_TRACE);\n  __uint(key_size, 4);\n  __uint(value_size, ${MAX_FRAMES * frameSize(mode)});\n  __uint(max_entries, ${maxEntries});${flags}\n} ${map} SEC(".maps");\n`;
}

/**
 * The C of one stack value. The frame count comes from a second unwind
 * (bpf_get_stack), compiled in only where len() is used anywhere in the
 * program (the declarations, where len() defines the macro, come first).
 */
function emitStack(kind: StackKind, tag: StackTag, ec: EmitContext): string {
  ec.declare(stackMapDeclaration(tag.map, tag.mode, ec.config.maxMapKeys));
  const flags = kind === 'ustack' ? 'BPF_F_USER_STACK' : '0';
  const countFlags = tag.mode === 'build_id' ? `${flags} | BPF_F_USER_BUILD_ID` : flags;
  const size = tag.limit * frameSize(tag.mode);
  const lines = [
    `({ __s64 __bs_stack = bpf_get_stackid(ctx, &${tag.map}, ${flags});`,
    `#ifdef ${COUNT_FRAMES}`,
    `  if (__bs_stack >= 0) __bs_stack |= bs_stack_depth(ctx, ${size}, ${countFlags}, ${frameSize(tag.mode)}) << ${FRAMES_SHIFT};`,
    '#endif',
  ];
  if (kind === 'ustack') lines.push(`  if (__bs_stack >= 0) __bs_stack |= (__s64)${ownTgid(ec)} << ${PID_SHIFT};`);
  lines.push('  __bs_stack; })');
  return `\n${lines.join('\n')}\n`;
}

const stackDocs: Record<StackKind, string> = {
  kstack: `:variant kstack_t kstack([StackMode mode, ][int limit])
The kernel call stack where the probe fired, at most \`limit\` frames (1..127,
default 127), printed in \`mode\`: \`bpftrace\` (\`name+offset\` per line), \`perf\`
(address, symbol and \`[kernel.kallsyms]\`) or \`raw\` (addresses); the default
mode is the \`stack_mode\` config. Stacks are cheap map keys.

\`\`\`
tracepoint:sched:sched_switch { @[kstack(5)] = count(); }
\`\`\``,
  ustack: `:variant ustack_t ustack([StackMode mode, ][int limit])
The user-space call stack of the current thread, at most \`limit\` frames
(1..127, default 127), named in user space from the process's memory map, its
ELF symbols and perf map files (JIT code), C++ and Rust names demangled
(\`cpp_demangle\`). Modes as kstack's, plus \`build_id\`: each frame as the
build ID of its file and the offset in it. Frames the unwinder cannot follow
(code without frame pointers) end the stack.

\`\`\`
uprobe:/usr/lib/x86_64-linux-gnu/libc.so.6:malloc { @[ustack(perf, 5)] = count(); }
\`\`\``,
};

function stackBuiltin(kind: StackKind): Builtin {
  return {
    name: kind,
    doc: stackDocs[kind],
    bareword: true,
    check(args, tc, span) {
      const { mode, limit } = stackArgs(kind, args, tc, span);
      const render: StackTag = { kind, map: mapOf(kind, mode), mode, limit };
      return { ...types.int64, render };
    },
    emit(args, ec) {
      // The arguments passed check: a mode identifier first if any, then a constant limit.
      const named = args[0]?.kind === 'Identifier' ? (args[0].name as StackMode) : undefined;
      const mode = named ?? (ec.config.stackMode as StackMode);
      const limitArg = args[named ? 1 : 0];
      const limit = limitArg ? Number(ec.constant(limitArg as Expr)) : MAX_FRAMES;
      return emitStack(kind, { kind, map: mapOf(kind, mode), mode, limit }, ec);
    },
  };
}

/** Whether a value is a kstack or ustack. */
export function isStackType(t: ValueType): boolean {
  return t.kind === 'int' && (t.render?.kind === 'kstack' || t.render?.kind === 'ustack');
}

/** The scratch buffer bpf_get_stack fills when frames are counted, and the count. */
const STACK_DEPTH_C = `#define ${COUNT_FRAMES} 1
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __uint(value_size, ${MAX_FRAMES * 32});
} bs_stack_scratch SEC(".maps");

static __always_inline __s64 bs_stack_depth(void *ctx, __u32 size, __u64 flags, __u32 frame)
{
  __u32 zero = 0;
  void *buf = bpf_map_lookup_elem(&bs_stack_scratch, &zero);
  if (!buf)
    return 0;
  long n = bpf_get_stack(ctx, buf, size, flags);
  return n > 0 ? n / frame : 0;
}
`;

/** len(stack): the frame count a stack value carries (0 for a failed stack). */
export function emitStackLength(stack: string, ec: EmitContext): string {
  ec.declare(STACK_DEPTH_C);
  return `({ __s64 __bs_v = ${stack}; __bs_v < 0 ? 0 : (__bs_v >> ${FRAMES_SHIFT}) & ${FRAMES_MASK}; })`;
}

export const stackBuiltins: Builtin[] = [stackBuiltin('kstack'), stackBuiltin('ustack')];
