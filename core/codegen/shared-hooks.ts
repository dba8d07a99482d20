// Probes that can share a hook (ExpandedProbe.sharedHook) run from one program
// on it, which picks the probes by a number: the `syscalls:` tracepoints, all
// fed by raw_syscalls' two hooks, become one raw tracepoint program per hook
// that tail calls a program per syscall number. Each probe's program becomes
// an inline function called with the context the hook rebuilds (its trace
// record), so its C is the same; the kernel attaches one program instead of
// hundreds of perf events (each of which takes it ~25 ms to close).
import type { ExpandedProbe, SharedHook } from '../../sdk/index.ts';

/** One probe's program as emitted, before sharing. */
export interface EmittedProbe {
  expanded: ExpandedProbe;
  functionName: string;
  /** Its C text, `SEC(section)` and the function. */
  text: string;
  section: string;
}

export interface SharedPrograms {
  /** Each probe's C text (a shared probe's as an inline function), then the shared programs. */
  functions: string[];
  /** Declarations the shared programs need, once each. */
  declarations: string[];
  /** The program and section each shared probe runs in, by its function name. */
  programs: Map<string, { programName: string; section: string }>;
  /** The programs the shared ones tail call (Manifest.tailCallPrograms). */
  tailCallPrograms: string[];
}

/** The probe's C after its signature; undefined when it is not the one function expected. */
function body(p: EmittedProbe): string | undefined {
  const signature = `int ${p.functionName}(void *ctx)`;
  const at = p.text.indexOf(signature);
  return at < 0 ? undefined : p.text.slice(at + signature.length);
}

/** Whether the probe's C names `ctx` only through the hook's context reads (a stack needs the real context). */
function readsOnlyRecord(p: EmittedProbe, hook: SharedHook): boolean {
  let text = body(p);
  if (text === undefined) return false;
  for (const read of hook.contextReads) text = text.split(read).join('');
  return !/\bctx\b/.test(text);
}

/** Whether the probe reads its context at all (else the hook need not rebuild it). */
function readsContext(p: EmittedProbe): boolean {
  return /\bctx\b/.test(body(p) ?? 'ctx');
}

/**
 * The probes that run in shared programs: those whose C allows it, except
 * where another probe of the same event cannot (the kernel runs the programs
 * of one event in attach order; they all stay where that order holds), on
 * hooks that enough probes share (SharedHook.minimum).
 */
function sharingProbes(probes: EmittedProbe[]): EmittedProbe[] {
  const able = probes.filter((p) => p.expanded.sharedHook && readsOnlyRecord(p, p.expanded.sharedHook));
  const ableSet = new Set(able);
  const unable = new Set(probes.filter((p) => p.expanded.sharedHook && !ableSet.has(p)).map((p) => p.expanded.name));
  const sharing = able.filter((p) => !unable.has(p.expanded.name));
  const bySection = new Map<string, number>();
  for (const p of sharing) bySection.set(p.expanded.sharedHook!.section, (bySection.get(p.expanded.sharedHook!.section) ?? 0) + 1);
  return sharing.filter((p) => bySection.get(p.expanded.sharedHook!.section)! >= p.expanded.sharedHook!.minimum);
}

function programName(section: string): string {
  return `bs_hook_${section.replace(/^.*\//, '').replace(/\W/g, '_')}`;
}

/** The program of one number: its probes called in script order, with the context rebuilt first if one reads it. */
function numberProgram(name: string, hook: SharedHook, selector: number, probes: EmittedProbe[]): string {
  const context = probes.some(readsContext)
    ? [`  __bs_context = ${hook.context};`, '  if (!__bs_context)', '    return 0;']
    : [];
  return [
    'SEC("raw_tp")',
    `int ${name}(void *ctx)`,
    '{',
    `  const __s64 __bs_selector = ${selector};`,
    '  void *__bs_context = 0;',
    ...context,
    ...probes.map((p) => `  ${p.functionName}(__bs_context);`),
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

/** A bit per number, set for the numbers that have probes: 64-bit words, in C. */
function numberBits(selectors: number[], size: number): string {
  const words = Array.from({ length: Math.ceil(size / 64) }, () => 0n);
  for (const n of selectors) words[n >> 6]! |= 1n << BigInt(n & 63);
  return words.map((w) => `0x${w.toString(16)}ULL`).join(', ');
}

/**
 * The programs of one hook: a program per number, a program array that
 * libbpf fills with them at load, and the program on the hook, which tail
 * calls the number's program where the number has probes and the hook's
 * filter lets them run (tested once here, for every number).
 * One program per number keeps each one small: the verifier's time grows
 * with a program's length times its patched instructions, so one program
 * for hundreds of syscalls took it seconds.
 */
function hookPrograms(section: string, members: EmittedProbe[]): { text: string; programs: string[] } {
  const hook = members[0]!.expanded.sharedHook!;
  const base = programName(section);
  const bySelector = new Map<number, EmittedProbe[]>();
  for (const p of members) {
    for (const n of p.expanded.sharedHook!.selectors) bySelector.set(n, [...(bySelector.get(n) ?? []), p]);
  }
  const selectors = [...bySelector.keys()].sort((a, b) => a - b);
  const names = new Map(selectors.map((n) => [n, `${base}_${n}`]));
  const size = selectors[selectors.length - 1]! + 1;
  const text = [
    ...selectors.map((n) => numberProgram(names.get(n)!, hook, n, bySelector.get(n)!)),
    'struct {',
    '  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);',
    `  __uint(max_entries, ${size});`,
    '  __type(key, __u32);',
    '  __array(values, int (void *));',
    `} ${base}_programs SEC(".maps") = {`,
    '  .values = {',
    ...selectors.map((n) => `    [${n}] = (void *)&${names.get(n)},`),
    '  },',
    '};',
    '',
    `static const __u64 ${base}_numbers[${Math.ceil(size / 64)}] = { ${numberBits(selectors, size)} };`,
    '',
    `SEC("${section}")`,
    `int ${base}(void *ctx)`,
    '{',
    `  __s64 __bs_selector = ${hook.selector};`,
    `  if (__bs_selector < 0 || __bs_selector >= ${size})`,
    '    return 0;',
    `  if (!(${base}_numbers[(__u64)__bs_selector >> 6] & (1ULL << (__bs_selector & 63))))`,
    '    return 0;',
    `  if (!(${hook.filter}))`,
    '    return 0;',
    `  bpf_tail_call(ctx, &${base}_programs, (__u32)__bs_selector);`,
    '  return 0;',
    '}',
    '',
  ].join('\n');
  return { text, programs: [...names.values()] };
}

/** Moves the probes that can share a hook into one program per hook (SharedPrograms); the others are unchanged. */
export function shareHooks(probes: EmittedProbe[]): SharedPrograms {
  const sharing = new Set(sharingProbes(probes));
  const hooks = new Map<string, EmittedProbe[]>();
  const functions: string[] = [];
  const programs = new Map<string, { programName: string; section: string }>();
  for (const p of probes) {
    if (!sharing.has(p)) {
      functions.push(p.text);
      continue;
    }
    const section = p.expanded.sharedHook!.section;
    hooks.set(section, [...(hooks.get(section) ?? []), p]);
    programs.set(p.functionName, { programName: programName(section), section });
    functions.push(p.text.replace(`SEC("${p.section}")\nint ${p.functionName}(void *ctx)`, `static __always_inline int ${p.functionName}(void *ctx)`));
  }
  const declarations = [...hooks.values()].map((members) => members[0]!.expanded.sharedHook!.cDeclarations);
  const tailCallPrograms: string[] = [];
  for (const [section, members] of hooks) {
    const shared = hookPrograms(section, members);
    functions.push(shared.text);
    tailCallPrograms.push(...shared.programs);
  }
  return { functions, declarations: [...new Set(declarations)], programs, tailCallPrograms };
}
