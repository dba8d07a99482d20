// The probe provider contract: a provider owns its attach-point syntax, the
// expansion of wildcards, the probe context (`args`, `argN`), the BPF section
// its programs go in, and attaching them. Built-in providers use exactly this.
import type { Span } from '../core/diagnostics/index.ts';
import type { ValueType } from '../core/manifest/index.ts';
import type { ProbeInfo } from '../core/manifest/index.ts';
import type { RuntimeConfig } from './config.ts';
import type { Tracefs } from './tracefs.ts';
import type { KernelTypes } from './kernel-types.ts';
import type { RuntimeError } from './runtime.ts';

/** An attach point as the user wrote it, split at top-level `:` (quotes respected). */
export interface AttachPointRequest {
  /** The whole attach point text (`t:syscalls:sys_enter_*`). */
  raw: string;
  /** The provider word as written (`t`, `tracepoint`, `BEGIN`). */
  providerWord: string;
  /** The parts after the provider word. */
  parts: string[];
  span: Span;
}

/** One concrete probe after wildcard expansion. */
export interface ExpandedProbe {
  /** Canonical name, the value of the `probe` builtin (`tracepoint:syscalls:sys_enter_openat`). */
  name: string;
  /** Provider's canonical name. */
  provider: string;
  /** ELF section for the BPF program (`tracepoint/syscalls/sys_enter_openat`, `perf_event`, `raw_tp`). */
  section: string;
  /** Provider-specific attach data, carried through the Manifest to `attach`. */
  target: Record<string, string | number>;
  /** C declarations this probe's context needs (e.g. the tracepoint's args struct). */
  cDeclarations?: string;
  /** A C condition over `ctx` that must hold for the probe to run (e.g. an iterator's element is not NULL). */
  guard?: string;
  /**
   * The section to use instead when the program never reads its context and
   * no other probe of the script shares its attach point: for a tracepoint,
   * its raw tracepoint, which runs the same program without the perf buffer
   * copy and detaches at once (a perf tracepoint link takes the kernel tens of
   * ms). `attach` sees the section chosen in the ProbeInfo.
   */
  contextFreeSection?: string;
  /**
   * A hook this probe can share with other probes of the script, in one
   * program that runs each by a number (core/codegen/shared-hooks.ts): the
   * `syscalls:` tracepoints, all fed by raw_syscalls' two hooks, run as one
   * raw tracepoint program per hook, which picks the probes by syscall number.
   */
  sharedHook?: SharedHook;
  /**
   * Probes of one attach point with the same `multiAttach.group` may run as
   * one program on one link that attaches them all (a uprobe_multi link):
   * codegen gives them one program in section `multiAttach.section`, which
   * tells them apart by the link's BPF cookie (ProbeInfo.cookie), and the
   * provider's `attach` gets them all (AttachEnv.programProbes).
   */
  multiAttach?: MultiAttach;
}

/** How a probe may share one program and one link with its attach point's other probes (ExpandedProbe.multiAttach). */
export interface MultiAttach {
  /** The probes of an attach point with the same group share a program (a uprobe's binary). */
  group: string;
  /** The shared program's section (`uprobe.multi`). */
  section: string;
}

/** How a probe runs in the one program of a hook shared by several probes (ExpandedProbe.sharedHook). */
export interface SharedHook {
  /** The shared program's section; the probes giving the same one share its program (`raw_tp/sys_enter`). */
  section: string;
  /** The numbers that run this probe (its syscall's numbers). */
  selectors: number[];
  /**
   * The fewest probes of a script on the hook for which sharing it pays:
   * with fewer, each keeps its own section (the shared program runs for every
   * number, probed or not).
   */
  minimum: number;
  /** C over the shared program's `ctx`: the number that picks the probes. */
  selector: string;
  /** C declarations the shared program needs: the same text from every probe of the hook. */
  cDeclarations: string;
  /** C over `ctx` and the number (`__bs_selector`): whether the probes may run (the kernel would fire the event). */
  filter: string;
  /**
   * C over `ctx` and the number: the pointer the probe's program gets as its
   * `ctx` (its trace record, rebuilt), or 0 when it cannot be had; made only
   * when a probe of the number reads it.
   */
  context: string;
  /**
   * The only C texts by which the probe's program may name `ctx` (its `args`
   * reads): a program that names it otherwise (stacks) keeps its own section.
   */
  contextReads: string[];
}

/** The meaning of a context identifier (`args`, `arg0`, `retval`) in one probe. */
export interface ContextValue {
  type: ValueType;
  /** A C expression for it (used for member access); `ctx` names the program's context argument. */
  c: string;
  /** A C expression for the whole value, when it differs (e.g. copied with a probe read). */
  cValue?: string;
  /**
   * `c` is the program's context memory itself (a tracepoint's record): an
   * array or struct member is copied out with a probe read, as the verifier
   * refuses loads from the context pointer plus a computed offset.
   */
  inContext?: boolean;
  /**
   * A C pointer to the value, when its members should be read with probe
   * reads instead of direct loads (contexts whose pointer members the
   * verifier only trusts after NULL checks, like iterators').
   */
  cAddress?: string;
}

export interface ProviderEnv {
  tracefs: Tracefs;
  /** Kernel types from BTF (typed `args`, `retval`). */
  kernelTypes: KernelTypes;
  config: RuntimeConfig;
  /** Report a located error (throws a CompileError). */
  fail(message: string, span?: Span): never;
  /** Report a located warning (shown unless --no-warnings; the expansion goes on). */
  warn(message: string, span?: Span): void;
  /**
   * The provider of a provider word (`tracepoint`, `t`), to delegate to: a
   * `syscall:NAME` provider expands to what `tracepoint:syscalls:sys_enter_NAME`
   * expands to, and hands `args` over to it (docs/sdk.md, "Delegating").
   */
  provider(word: string): ProbeProvider | undefined;
}

/** Something that must be undone when the session ends. */
export interface Attachment {
  detach(): void;
  /** The same off the main thread, so several detach in parallel (tracepoint links are slow to go). */
  detachAsync?(): Promise<void>;
  /**
   * For probes that run when driven rather than on events (BPF iterators):
   * runs them to completion. The session drives them after `begin` probes,
   * then ends the run.
   */
  drive?(): void;
}

/** What a provider gets to attach one program. The program is the runtime's handle. */
export interface AttachEnv {
  /** The runtime's program handle: attach methods by kind (see plugins/runtime/libbpf). */
  program: AttachableProgram;
  perfEventOpen(opts: PerfEventOptions): number;
  closeFd(fd: number): void;
  onlineCpus(): number[];
  /** Pid given with -p, or the -c child's pid; undefined if none. */
  targetPid?: number;
  /**
   * Every probe the program runs, in script order, the one given first among
   * them: several for a multi-attach group (ExpandedProbe.multiAttach) or a
   * shared hook, else just that one.
   */
  programProbes?: ProbeInfo[];
  /**
   * Reports one of programProbes that the kernel cannot probe while the
   * others attach (a function of a wildcard at an instruction uprobes cannot
   * emulate); the session leaves it out as missing_probes says (core/session/attach.ts).
   */
  probeRefused?(probe: ProbeInfo, error: RuntimeError): void;
}

export interface PerfEventOptions {
  type: number;
  config: number | bigint;
  samplePeriod?: number | bigint;
  sampleFreq?: number;
  cpu: number;
  pid: number;
  bpAddr?: bigint;
  bpLen?: number;
  bpType?: number;
}

export interface AttachableProgram {
  readonly name: string;
  attachTracepoint(category: string, event: string): Attachment;
  attachRawTracepoint(name: string): Attachment;
  attachPerfEvent(perfFd: number): Attachment;
  /** A uprobe (or uretprobe) at a file offset of a binary; pid -1 for every process. */
  attachUprobe(retprobe: boolean, pid: number, binaryPath: string, fileOffset: number): Attachment;
  /**
   * Uprobes (or uretprobes) at several file offsets of one binary on one link
   * (uprobe_multi), each with its BPF cookie (`cookies[i]` for
   * `fileOffsets[i]`); pid -1 for every process. Where the kernel has no
   * uprobe_multi links, one uprobe link per offset, with its cookie. The
   * program must be of a `.multi` section (ExpandedProbe.multiAttach).
   * With `refused`, offsets the kernel cannot probe (an instruction uprobes
   * cannot emulate: ENOTSUPP, EINVAL) are left out, each reported to it by
   * its index, and the others attached; without it, one fails them all.
   */
  attachUprobeMulti(retprobe: boolean, pid: number, binaryPath: string, fileOffsets: number[], cookies: number[], refused?: (index: number, error: RuntimeError) => void): Attachment;
  /** A USDT probe (libbpf decodes the argument specs); pid -1 for every process. */
  attachUsdt(pid: number, binaryPath: string, provider: string, name: string): Attachment;
  /** A BPF iterator (`iter/task`...): the attachment's drive() runs it over every element. */
  attachIter(): Attachment;
  /** Attaches as libbpf does from the program's section name (`kprobe/f`, `fentry/f`). */
  attachAuto(): Attachment;
  /** Runs the program once in the kernel (BPF_PROG_TEST_RUN); returns its return value. */
  testRun(): number;
}

/**
 * Run-time roles a probe can have besides attaching: `begin`/`end` programs
 * run at start and exit, `signal` programs each time the process gets SIGUSR1,
 * `test`/`bench` programs only with `--test`/`--bench` (then nothing is
 * attached): once each, or repeated and timed. Their section must be of a
 * program type the kernel test-runs with repeats and timing (`xdp`).
 */
export type ProbeRole = 'attach' | 'begin' | 'end' | 'signal' | 'test' | 'bench';

/** The roles whose programs the session runs itself (BPF_PROG_TEST_RUN) instead of attaching them. */
export const sessionRunRoles: readonly ProbeRole[] = ['begin', 'end', 'signal', 'test', 'bench'];

export interface ProbeProvider {
  /** Canonical provider name (`tracepoint`); also the `probetype` value. */
  readonly name: string;
  /** Other spellings (`t`, `TRACEPOINT`); matching is case-sensitive on these. */
  readonly aliases: readonly string[];
  /**
   * Set by a package's provider that replaces a built-in provider word on
   * purpose: the import then warns instead of refusing (docs/sdk.md, "Overrides").
   */
  readonly override?: boolean;
  /**
   * Programs of this provider fire for every process and cannot be limited to
   * one when attached; with `-p PID` they get a `pid == PID` filter.
   */
  readonly firesForAllProcesses?: boolean;
  /**
   * For one event the kernel runs this provider's programs last attached
   * first (uprobes, USDT, kprobes, trampolines); the session attaches them in
   * reverse so they run in script order.
   */
  readonly runsLastAttachedFirst?: boolean;
  /**
   * The memory this provider's raw addresses point into: an integer cast to a
   * pointer (`(struct Foo *)arg0`) is read as `user` memory in uprobes and
   * USDT probes, as kernel memory elsewhere (as bpftrace's address spaces).
   */
  readonly addressSpace?: 'kernel' | 'user';
  /** `begin`/`end`/`signal`/`test`/`bench` programs are run by the session, not attached. */
  readonly role?: ProbeRole;
  /**
   * The concrete probes an attach point names; [] when it matches nothing
   * (the probes stage reports that as `missing_probes` says). Malformed
   * attach points fail with a located error.
   */
  expand(request: AttachPointRequest, env: ProviderEnv): ExpandedProbe[];
  /**
   * Whether the attach point is a pattern, whose expansion may be empty
   * without a `No matches for` message of its own; by default, whether any
   * part has a wildcard.
   */
  isPattern?(request: AttachPointRequest, env: ProviderEnv): boolean;
  /** Context identifiers (`args`, `arg0`); undefined when the name means nothing here. */
  contextValue?(name: string, probe: ExpandedProbe, env: ProviderEnv): ContextValue | undefined;
  /** Attaches one program (never called for the roles of `sessionRunRoles`). */
  attach?(probe: ProbeInfo, env: AttachEnv): Attachment[];
  /**
   * Why loading or attaching failed, in words, when the provider can tell
   * (a kernel without kprobes, trampolines refused); shown as a HINT.
   */
  explainFailure?(failure: { op: 'load' | 'attach'; errno?: string; message: string }): string | undefined;
  /** `-lv`: the probe's arguments, one `    type name` line each, as bpftrace lists them. */
  describeArguments?(probeName: string, env: ProviderEnv): string[];
  /**
   * `-l PROVIDER:PATTERN`: the probes matching PATTERN (what follows the
   * provider word), as bpftrace lists them (`tracepoint:sched:sched_switch`,
   * `software:cpu-clock:`); throws an Error whose message says why it cannot
   * list (tracefs not mounted).
   */
  list?(pattern: string, env: ProviderEnv): string[];
  /**
   * Which searches with a wildcard for the provider (`-l '*sleep*'`) include
   * this one: `kernel` ones always, `userspace` ones with -p or an existing
   * file as the target; others only when named (`-l 'kretprobe:*'`).
   */
  readonly listedIn?: 'kernel' | 'userspace';
  /** How `-l` shows an expanded probe of a program (default: its name); e.g. `interval:s:` for `interval:s:1`. */
  listedName?(probe: ExpandedProbe): string;
}
