// The user-space half of builtins. A builtin's C half sends event records
// (`EmitContext.action` + `EmitContext.event`) tagged with an action of its
// own kind; its plugin registers the handler of that kind, which turns each
// record into output. Integer values that only user space can turn into text
// (a kernel address into a symbol, a stack id into frames, a timestamp into a
// date) carry a render tag in their type (`IntType.render`), and the plugin
// that set the tag registers the renderer. The core keeps no list of kinds:
// an action kind no plugin handles is an error when the session starts.
import type { Action, ArgLayout, Manifest, ProbeInfo, RenderTag, ValueType } from '../core/manifest/index.ts';
import type { SourceTexts } from '../core/diagnostics/index.ts';
import type { RuntimeConfig } from './config.ts';
import type { MapSnapshot, OutputFormat, OutputWriter } from './output.ts';
import type { Runtime, RuntimeMap } from './runtime.ts';

/** A decoded value ready for an output format, with the type that describes it now (renderers change `int` to `string`). */
export interface ShownValue {
  value: unknown;
  type: ValueType;
}

/** One ring-buffer record: its u64 action id is at `offset`, the action's fields follow. */
export interface EventRecord {
  readonly view: DataView;
  /** Where the record starts in `view` (its action id); field offsets count from here. */
  readonly offset: number;
}

/** What a running session offers to action handlers and value renderers. */
export interface RunSession {
  /** The compiled program's Manifest: its actions, maps and enum names. */
  readonly manifest: Manifest;
  /** The run's configuration (`max_cat_bytes`, ...). */
  readonly config: RuntimeConfig;
  /** The output format `-f` chose. */
  readonly output: OutputFormat;
  /** Where the output goes: program output (stdout or -o FILE) and messages (stderr). */
  readonly writer: OutputWriter;
  /** The runtime: clocks, strftime(3), errno texts. */
  readonly runtime: Runtime;
  /** Script texts by file name, so messages can quote the line of a call. */
  readonly sources?: SourceTexts;
  /** `--no-warnings`: warnings made at run time are not printed. */
  readonly noWarnings: boolean;
  /** A field of a record, decoded and rendered (`layout.offset` counts from the record's start). */
  value(record: EventRecord, layout: ArgLayout): ShownValue;
  /** Renders a decoded value of a type (render tags anywhere inside it become text). */
  show(value: unknown, type: ValueType): ShownValue;
  /** The loaded object's map behind a script map (`@x`), else the map of that symbol (a builtin's own map); throws when there is none. */
  map(name: string): RuntimeMap;
  /** A script map's entries (`@x`), decoded, merged across CPUs, rendered. */
  snapshot(name: string, opts?: SnapshotOptions): MapSnapshot;
  /** realtime - boottime in nanoseconds, measured once per session (for timestamps of the boot clock). */
  readonly bootToRealtimeNs: bigint;
  /** Ends the run as exit() does; the first code given wins. */
  exit(code: number): void;
  /** Detaches the attached probes `match` picks (unwatch() a watchpoint); how many were detached. */
  detachProbes(match: (probe: ProbeInfo) => boolean): number;
}

/** How a map is read for output. */
export interface SnapshotOptions {
  /** An empty scalar map shows its zero value (print(@x) does; the maps printed at exit do not). */
  zeroWhenEmpty?: boolean;
}

/** A session's handler of one action kind; its state (join's open argument lists) lives here. */
export interface ActionHandlerInstance<A extends Action = Action> {
  /** One record of an action of this kind. */
  handle(action: A, record: EventRecord): void;
  /** After the last record (end probes ran), before the maps at exit: print what is still held. */
  finish?(): void;
}

/** The user-space half of the actions of one kind (bound to `Services.ActionHandler`, one per kind). */
export interface ActionHandler<A extends Action = Action> {
  /** The `kind` of the actions it handles (`printf`, `join`, a package's own). */
  readonly kind: A['kind'];
  /** Called once per session that has actions of this kind, before the first record. */
  open(session: RunSession): ActionHandlerInstance<A>;
}

/**
 * Turns tagged integers into what the output prints (bound to
 * `Services.ValueRenderer`, one per kind). A tagged tuple of integers
 * (`TupleType.render`) comes as its first element (`value`) and the others (`more`).
 */
export interface ValueRenderer {
  /** The `IntType.render.kind` (or `TupleType.render.kind`) it renders (`strftime`, `ksym`, `kstack`, `usym`...). */
  readonly kind: string;
  /** Called once per session, when its first value is shown; returns the renderer of one value. */
  open(session: RunSession): (value: bigint, tag: RenderTag, more?: readonly bigint[]) => ShownValue;
}
