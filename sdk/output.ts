// Output formats (text, json, ...): how messages, printf results, values and
// maps reach the user. The session drives one OutputFormat chosen by `-f`.
import type { Action, ArgLayout, MapEntriesView, MapInfo, ValueType } from '../core/manifest/index.ts';
import type { SourceTexts, Span } from '../core/diagnostics/index.ts';
import type { RunSession } from './actions.ts';

export type { MapEntriesView } from '../core/manifest/index.ts';

/** A decoded value (see core/manifest/decode-value.ts). */
export type DecodedValue = unknown;

/** Entries of a map already merged across CPUs; `key` undefined for scalar maps. */
export interface MapSnapshot {
  info: MapInfo;
  /** Every entry, in the kernel's order (a snapshot with `packed` decodes them on first use). */
  entries: { key?: unknown; value: unknown }[];
  /**
   * Optional fast path for large maps: the same entries left packed as the
   * kernel read them, decoded one at a time on demand. A format that prints
   * from it (in the order lib/render's printOrder gives) makes no object per
   * entry; one that reads `entries` works as before. Absent when the entries
   * were changed after the read (rendered symbols, a zero entry for print()).
   */
  readonly packed?: MapEntriesView;
}

export interface OutputWriter {
  /** Program output (stdout or -o FILE). */
  out(text: string): void;
  /** Messages (stderr). */
  err(text: string): void;
  /** Writes out anything buffered (before a child command starts, so begin's output comes first). */
  flush?(): void;
}

/** printf(format, args...): each record holds the arguments at `args`. */
export interface PrintfAction extends Action {
  kind: 'printf';
  format: string;
  args: ArgLayout[];
}

/** Text made in user space for the program's output: time(), cat(), join(), system(). */
export type TextMessageKind = 'time' | 'cat' | 'join' | 'syscall';

/** Where a run-time message comes from: the call's span, and the program texts so text output can quote the line. */
export interface SourceSite {
  span?: Span;
  sources?: SourceTexts;
}

/** A run-time error: a BPF helper that failed (retcode < 0, `message` its strerror text), or another error. */
export type RuntimeErrorInfo =
  | { kind: 'helper'; helper: string; retcode: number; message: string }
  | { kind: 'other'; message: string };

/** One test's result (`--test`), with the whole run's names so a format can head and sum up the run. */
export interface TestResult {
  /** Every test of the run in the order they run (the NAME of `test:NAME`). */
  readonly names: readonly string[];
  /** Which of them this is. */
  readonly index: number;
  /** Whether each test run so far passed, this one included. */
  readonly passed: readonly boolean[];
  /** How long its program ran, as the kernel measured it. */
  readonly durationNs: number;
  /** What it printed, in text form whatever the format (a failed test's output is shown). */
  readonly output: string;
}

/** One benchmark's result (`--bench`); a skipped or failed benchmark has none. */
export interface BenchmarkResult {
  /** Every benchmark of the run in the order they run (the NAME of `bench:NAME`). */
  readonly names: readonly string[];
  /** Which of them this is. */
  readonly index: number;
  /** No result was reported before this one (a format heads its table now). */
  readonly first: boolean;
  /** Mean time of one run of its program, in nanoseconds. */
  readonly averageNs: number;
  /** How many times it ran in the measured round. */
  readonly iterations: number;
}

export interface OutputFormat {
  readonly name: string;
  /**
   * Called once before the first output of a run, with the run's session: its
   * Manifest (enum names), its clock offset and runtime (tseries wall times).
   */
  prepare?(session: RunSession): void;
  attached(count: number, w: OutputWriter): void;
  lostEvents(count: number, w: OutputWriter): void;
  printf(action: PrintfAction, args: { value: unknown; type: ValueType }[], w: OutputWriter): void;
  printValue(value: unknown, type: ValueType, w: OutputWriter): void;
  printMap(map: MapSnapshot, opts: { top: number; div: number }, w: OutputWriter): void;
  /** Maps printed when the program ends (print_maps_on_exit). */
  mapsAtExit(maps: MapSnapshot[], w: OutputWriter): void;
  /** time(), cat(), join(), system(): their text, already made. */
  textMessage(kind: TextMessageKind, text: string, w: OutputWriter): void;
  /** errorf()/warnf(): the formatted message and where the call is. */
  logf(severity: 'error' | 'warning', text: string, site: SourceSite, w: OutputWriter): void;
  /** A run-time error reported by the BPF program (a failed helper call, ...). */
  runtimeError(error: RuntimeErrorInfo, site: SourceSite, w: OutputWriter): void;
  /** `--test`: one test's result (a format without it cannot run tests). */
  testResult?(result: TestResult, w: OutputWriter): void;
  /** `--bench`: one benchmark's result (a format without it cannot run benchmarks). */
  benchmarkResult?(result: BenchmarkResult, w: OutputWriter): void;
}
