// Service identifiers of the inversify container. A plugin binds its
// contributions to these (multi-bindings for providers, builtins, formatters)
// and asks for services by them; tests swap a service by rebinding it.
import type { ServiceIdentifier } from 'inversify';
import type { ProbeProvider } from './provider.ts';
import type { Builtin } from './builtin.ts';
import type { OutputFormat } from './output.ts';
import type { Hooks } from './hooks.ts';
import type { Tracefs } from './tracefs.ts';
import type { RuntimeConfig } from './config.ts';
import type { KernelTypes } from './kernel-types.ts';
import type { Runtime } from './runtime.ts';
import type { ActionHandler, ValueRenderer } from './actions.ts';
import type { HookTap } from './hooks.ts';

export const Services = {
  /** Every probe provider (multi-binding). */
  ProbeProvider: Symbol.for('bpfscript.ProbeProvider') as ServiceIdentifier<ProbeProvider>,
  /** Every builtin function/identifier (multi-binding). */
  Builtin: Symbol.for('bpfscript.Builtin') as ServiceIdentifier<Builtin>,
  /** Output formats by name: `text`, `json` (multi-binding; `-f` picks one). */
  OutputFormat: Symbol.for('bpfscript.OutputFormat') as ServiceIdentifier<OutputFormat>,
  /** The user-space half of an action kind (multi-binding, one per kind; a Manifest action of a kind none handles is an error). */
  ActionHandler: Symbol.for('bpfscript.ActionHandler') as ServiceIdentifier<ActionHandler>,
  /** Renderers of tagged integers (`IntType.render`): symbols, stacks, timestamps (multi-binding, one per kind). */
  ValueRenderer: Symbol.for('bpfscript.ValueRenderer') as ServiceIdentifier<ValueRenderer>,
  /** A plugin's taps on the session's hooks (multi-binding; applied when plugins are loaded). */
  HookTap: Symbol.for('bpfscript.HookTap') as ServiceIdentifier<HookTap>,
  /** The runtime that loads, attaches, reads maps and carries events (one binding). */
  Runtime: Symbol.for('bpfscript.Runtime') as ServiceIdentifier<Runtime>,
  /** The hook points of one session. */
  Hooks: Symbol.for('bpfscript.Hooks') as ServiceIdentifier<Hooks>,
  /** Tracefs access (format files, event listing). */
  Tracefs: Symbol.for('bpfscript.Tracefs') as ServiceIdentifier<Tracefs>,
  /** Kernel types from BTF. */
  KernelTypes: Symbol.for('bpfscript.KernelTypes') as ServiceIdentifier<KernelTypes>,
  /** Run-time configuration (from the command line, environment and `config = {}`). */
  Config: Symbol.for('bpfscript.Config') as ServiceIdentifier<RuntimeConfig>,
} as const;
