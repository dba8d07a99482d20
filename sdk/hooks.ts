// Hook points of a session (tapable). The list, arguments and order are part of
// the public contract (docs/sdk.md). In the order a session calls them:
//
//   rewrite -> parsed -> expanded -> scope -> generated -> compiled
//     -> loaded -> running -> attached -> event* -> exit -> closed
//
// Most observe. `running` hands over the run's session (an exporter reads
// its maps while the run waits) and `closed` says the run is over, however
// it ended. Three contribute: `rewrite` (a waterfall: each tap returns the
// program the next one sees), `scope` (taps add builtins, put types in front
// of the kernel's and add objects to link) and `event` (a bail hook: a tap
// that returns true claims the record, and its action handler does not run).
//
// `scope` comes after expansion: attach points need only providers and the
// kernel's types, so a script with a wrong one fails before any clang runs.
//
// A plugin taps hooks through a `HookTap` bound in its module: the core
// applies every bound tap to a session's hooks when the plugins are loaded
// (a package's plugin when the script imports the package).
import tapablePkg from 'tapable';
import type {
  SyncHook as SyncHookT,
  SyncWaterfallHook as SyncWaterfallHookT,
  SyncBailHook as SyncBailHookT,
  AsyncSeriesHook as AsyncSeriesHookT,
} from 'tapable';
import type { Program } from '../core/syntax/ast.ts';
import type { Manifest } from '../core/manifest/index.ts';
import type { PreparedProgram } from '../core/passes/imports/index.ts';
import type { BuiltUnit, LinkInput } from '../core/build/index.ts';
import type { ExpandedProbe } from './provider.ts';
import type { Builtin } from './builtin.ts';
import type { RunSession } from './actions.ts';
import type { KernelTypes } from './kernel-types.ts';

const { SyncHook, SyncWaterfallHook, SyncBailHook, AsyncSeriesHook } = tapablePkg;

export interface GeneratedProgram {
  c: string;
  manifest: Manifest;
}

/**
 * What the type pass and code generation of one compile work with, built by
 * the core (kernel types from `Services.KernelTypes`, builtins from
 * `Services.Builtin`) and extended by the `scope` hook's taps.
 *
 * The built-in taps run in stage order (tapable's `stage`, lower first):
 * c-interop (stage -10) adds the imported C units' functions as builtins and
 * their objects to link; c-types (stage 0) then runs the script's C, puts its
 * types in front of the kernel's and adds its constants under the names no
 * builtin has yet (C functions included).
 */
export interface CompileScope {
  /** The program after imports, config, macros and `rewrite`. */
  readonly program: Program;
  /** What the front end found: imported C units, package plugins, the merged config. */
  readonly prepared: PreparedProgram;
  /** The probes after expansion (a uprobe's binary brings its DWARF types into scope). */
  readonly probes: readonly ExpandedProbe[];
  /** `-I DIR` / `-include FILE` from the command line. */
  readonly clangFlags: readonly string[];
  /** Kernel types; a tap may put its own in front (the script's C types win over the kernel's). */
  kernelTypes: KernelTypes;
  /** Every builtin by name; a tap adds its own (C functions of imported units, `#define` constants). */
  readonly builtins: Map<string, Builtin>;
  /** Resolves identifiers nothing else defines (kernel enumerators by name); a tap chains onto the one before. */
  fallbackIdentifier?: (name: string) => Builtin | undefined;
  /** Objects linked with the generated program before load (imported C units). */
  readonly linkObjects: LinkInput[];
  /** The imported C units as built (whether clang ran), kept on the compile's result for tests and hosts. */
  readonly builtUnits: BuiltUnit[];
}

export class Hooks {
  /** After imports, config and macros (package plugins loaded): returns the program the rest of the pipeline compiles (`-p PID` adds its filter here). */
  readonly rewrite: SyncWaterfallHookT<[Program]> = new SyncWaterfallHook(['program']);
  /** After rewriting: the whole program. */
  readonly parsed: SyncHookT<[Program]> = new SyncHook(['program']);
  /** After attach points are expanded by providers. */
  readonly expanded: SyncHookT<[ExpandedProbe[]]> = new SyncHook(['probes']);
  /** Before the type pass: taps extend the compile's scope (builtins, types, objects to link). */
  readonly scope: AsyncSeriesHookT<[CompileScope]> = new AsyncSeriesHook(['scope']);
  /** After code generation: the C unit and its Manifest (`-d c` taps this). */
  readonly generated: SyncHookT<[GeneratedProgram]> = new SyncHook(['generated']);
  /** After clang (and the link): the object file path. */
  readonly compiled: SyncHookT<[string]> = new SyncHook(['objectPath']);
  /** After the kernel accepted the programs. */
  readonly loaded: SyncHookT<[Manifest]> = new SyncHook(['manifest']);
  /**
   * After load, before any probe runs (not in a dry run): the run's session,
   * to read maps from while the run waits. The run awaits the taps; one that
   * throws ends the run before anything is attached.
   */
  readonly running: AsyncSeriesHookT<[RunSession]> = new AsyncSeriesHook(['session']);
  /** After attaching: the number of attached probes. */
  readonly attached: SyncHookT<[number]> = new SyncHook(['count']);
  /** Every ring-buffer record, with its action id, before its action's handler; return true to claim it. */
  readonly event: SyncBailHookT<[number, DataView, number], boolean | void> = new SyncBailHook(['actionId', 'view', 'offset']);
  /** When the run ends normally, with the exit code: after end probes ran and the maps at exit were printed. */
  readonly exit: AsyncSeriesHookT<[number]> = new AsyncSeriesHook(['code']);
  /** The run is over, however it ended (exit, error, dry run): taps release what they hold for it (servers, timers). */
  readonly closed: SyncHookT<[]> = new SyncHook([]);
}

/**
 * A plugin's taps on a session's hooks, bound to `Services.HookTap` with
 * `toConstantValue`: the core applies each bound tap once per container.
 */
export interface HookTap {
  /** Who taps (the plugin's name; a good tapable tap name too). */
  readonly name: string;
  /** Taps the hooks (`hooks.scope.tap({ name, stage }, fn)`...). */
  apply(hooks: Hooks): void;
}
