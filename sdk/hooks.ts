// Hook points of a session (tapable). The list, arguments and order are part of
// the public contract (docs/sdk.md):
//   parsed -> expanded -> generated -> compiled -> loaded -> attached -> event* -> exit
import tapablePkg from 'tapable';
import type { SyncHook as SyncHookT, AsyncSeriesHook as AsyncSeriesHookT } from 'tapable';
import type { Program } from '../core/syntax/ast.ts';
import type { Manifest } from '../core/manifest/index.ts';
import type { ExpandedProbe } from './provider.ts';

const { SyncHook, AsyncSeriesHook } = tapablePkg;

export interface GeneratedProgram {
  c: string;
  manifest: Manifest;
}

export class Hooks {
  /** After parsing and imports: the whole program. */
  readonly parsed: SyncHookT<[Program]> = new SyncHook(['program']);
  /** After attach points are expanded by providers. */
  readonly expanded: SyncHookT<[ExpandedProbe[]]> = new SyncHook(['probes']);
  /** After code generation: the C unit and its Manifest (`-d c` taps this). */
  readonly generated: SyncHookT<[GeneratedProgram]> = new SyncHook(['generated']);
  /** After clang: the object file path. */
  readonly compiled: SyncHookT<[string]> = new SyncHook(['objectPath']);
  /** After the kernel accepted the programs. */
  readonly loaded: SyncHookT<[Manifest]> = new SyncHook(['manifest']);
  /** After attaching: the number of attached probes. */
  readonly attached: SyncHookT<[number]> = new SyncHook(['count']);
  /** For every ring-buffer record, with its action id, before the session handles it. */
  readonly event: SyncHookT<[number, DataView, number]> = new SyncHook(['actionId', 'view', 'offset']);
  /** When the session ends, with the exit code, before detaching. */
  readonly exit: AsyncSeriesHookT<[number]> = new AsyncSeriesHook(['code']);
}
