// Codegen stage: typed program -> one BPF C translation unit + its Manifest.
import type { PluginCRegion } from './plugin-c.ts';
import type { Span } from '../diagnostics/index.ts';
import type { Manifest, ProbeInfo } from '../manifest/index.ts';
import type { Builtin, ExpandedProbe, KernelTypes, ProbeRole, RuntimeConfig } from '../../sdk/index.ts';
import type { TypedProgram } from '../passes/types/index.ts';
import { CTypeRegistry } from './ctypes.ts';
import { ProbeEmitter } from './emitter.ts';
import { manifestEnums } from './enums.ts';
import { prelude } from './prelude.ts';
import { shareHooks, type EmittedProbe } from './shared-hooks.ts';
import { keptFrameMaps, shareLinks } from './multi-attach.ts';
import { ProgramState } from './state.ts';
import { programExits } from './exit-flag.ts';
import { perCpuArrayMaps } from './counter-arrays.ts';

export interface GeneratedUnit {
  c: string;
  manifest: Manifest;
  /** Where third-party builtins' C is in `c` (absent when none is). */
  pluginRegions?: PluginCRegion[];
  /** By action id, the builtin call in the script that registered the action (where its handler's failures are reported). */
  actionCalls?: (Span | undefined)[];
  /** The script's loops by the number of their `bs_loop` marker in `c` (absent when there is none). */
  loops?: Span[];
}

export interface GenerateOptions {
  config: RuntimeConfig;
  positional: string[];
  /** Kernel types; their CO-RE declarations are made on the unit's first use of one. */
  kernelTypes: KernelTypes;
  /** The run-time role of a provider's probes (its `role`; `attach` when it has none). */
  roleOf?: (provider: string) => ProbeRole;
}

/** The C function (and BPF program) of the probe instance with this index. */
export function probeFunctionName(index: number): string {
  return `bs_probe_${index}`;
}

/**
 * Roles whose probes still run once exit() has been called: `end`, and the
 * tests and benchmarks of --test/--bench (each its own run, whatever an
 * earlier one did).
 */
const RUN_AFTER_EXIT: ReadonlySet<ProbeRole> = new Set(['end', 'test', 'bench']);

export function generate(typed: TypedProgram, opts: GenerateOptions): GeneratedUnit {
  const ctypes = new CTypeRegistry(() => opts.kernelTypes.declarations());
  const state = new ProgramState(typed.maps, ctypes, opts.config, opts.positional, perCpuArrayMaps(typed.maps, typed.instances));
  const exits = programExits(typed);
  const emitted: EmittedProbe[] = [];
  const attachPoints = new Map<EmittedProbe, object>();
  for (const inst of typed.instances) {
    const { expanded, index } = inst.instance;
    const functionName = probeFunctionName(index);
    // The provider's context types (e.g. tracepoint args) are declared even if unused.
    const emitter = new ProbeEmitter(inst, state, ctypes, opts.config, functionName, opts.kernelTypes);
    emitter.stopsAfterExit = exits && !RUN_AFTER_EXIT.has(opts.roleOf?.(expanded.provider) ?? (expanded.provider === 'end' ? 'end' : 'attach'));
    let text = emitter.emit();
    const section = contextFreeSection(expanded, text, typed) ?? expanded.section;
    if (section !== expanded.section) text = text.replace(`SEC("${expanded.section}")\nint ${functionName}(`, `SEC("${section}")\nint ${functionName}(`);
    const probe: EmittedProbe = { expanded, functionName, text, section };
    emitted.push(probe);
    attachPoints.set(probe, inst.instance.attachPoint);
  }
  const linked = shareLinks(emitted, (p) => attachPoints.get(p)!, (identifier) => state.sameEventLayout(identifier));
  const shared = shareHooks(linked.rest);
  const functions = [...shared.functions, ...linked.functions];
  const probes: ProbeInfo[] = emitted.map(({ expanded, functionName, section }) => ({
    programName: functionName, section, ...shared.programs.get(functionName), ...linked.programs.get(functionName),
    provider: expanded.provider, name: expanded.name, target: expanded.target,
  }));
  const extraDecls = [...new Set(typed.instances.map((i) => i.instance.expanded.cDeclarations).filter(Boolean)), ...shared.declarations];
  const c = [
    prelude({ ringbufSize: opts.config.ringbufSize }),
    ctypes.kernelDeclarations(),
    ctypes.declarations(),
    ...extraDecls,
    ...state.declarations,
    ...state.eventDecls,
    ...state.allMaps().map((m) => m.declaration),
    ...functions,
  ].join('\n');
  const manifest: Manifest = {
    version: 1,
    actions: state.actions,
    maps: state.allMaps().map((m) => m.info),
    probes,
    ringbuf: { cName: 'bs_events', size: opts.config.ringbufSize },
    settings: [
      { name: 'cpid', offset: 0, size: 8 },
      { name: 'start_ns', offset: 8, size: 8 },
      { name: 'ncpus', offset: 16, size: 8 },
    ],
    dropCounter: 'bs_drops',
    ...(shared.tailCallPrograms.length ? { tailCallPrograms: shared.tailCallPrograms } : {}),
  };
  const frameMaps = keptFrameMaps(state.frameMaps, linked.dropped);
  if (frameMaps.length) manifest.frameMaps = frameMaps;
  const enums = manifestEnums({ eventFields: state.eventFields, maps: manifest.maps }, opts.kernelTypes);
  if (Object.keys(enums).length > 0) manifest.enums = enums;
  return {
    c,
    manifest,
    actionCalls: state.actionCalls,
    ...(state.pluginRegions.length ? { pluginRegions: state.pluginRegions } : {}),
    ...(state.loops.length ? { loops: state.loops } : {}),
  };
}

/**
 * The provider's context-free section (ExpandedProbe.contextFreeSection) where
 * the probe's C never names `ctx` past its signature, and no other probe of
 * the script attaches where either section would (the kernel's order between
 * programs of two kinds on one hook is not the script's).
 */
function contextFreeSection(expanded: ExpandedProbe, text: string, typed: TypedProgram): string | undefined {
  const free = expanded.contextFreeSection;
  if (!free) return undefined;
  const body = text.slice(text.indexOf('(void *ctx)') + '(void *ctx)'.length);
  if (/\bctx\b/.test(body)) return undefined;
  const others = typed.instances.map((i) => i.instance.expanded).filter((e) => e !== expanded);
  const shared = others.some((e) => [e.section, e.contextFreeSection].some((s) => s === free || s === expanded.section));
  return shared ? undefined : free;
}

export type { Builtin };
