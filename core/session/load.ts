// Loading: the program object built (clang, then the link with the script's C
// units), opened through the runtime, given its run-time settings and loaded
// with the logs -v / -d ask for, in buffers of log_size bytes; a refusal gets
// its provider's HINT. With -v or -d verifier each program is reported (id,
// size, the verifier's log).
import type { Runtime, RuntimeObject } from '../../sdk/index.ts';
import type { Manifest } from '../manifest/index.ts';
import { linkObjects, type CompileResult } from '../build/index.ts';
import { compileGeneratedAsync } from './build-limits.ts';
import type { CompiledScript } from './compile.ts';
import type { RunContext } from './context.ts';
import { withProviderHint } from './provider-hint.ts';
import { loopLimitError } from './loop-limits.ts';
import { trimmedLogError } from './log-size.ts';

/** The generated program compiled (cached), then linked with the objects of the script's C units, if any. */
export async function buildProgramObject(compiled: CompiledScript, runtime: Pick<Runtime, 'link'>): Promise<CompileResult> {
  const build = await compileGeneratedAsync(compiled);
  if (!compiled.linkObjects.length) return build;
  const linked = linkObjects(runtime, [{ path: build.objectPath, name: 'the generated program' }, ...compiled.linkObjects]);
  return { ...build, objectPath: linked.objectPath };
}

/** Opens the object; programs of imported objects are not the script's: only its probes load. */
export function openObject(s: RunContext, objectPath: string): RuntimeObject {
  const obj = s.runtime.open(objectPath, { name: 'bpfscript' });
  const ownPrograms = new Set([...s.manifest.probes.map((p) => p.programName), ...(s.manifest.tailCallPrograms ?? [])]);
  if (s.compiled.linkObjects.length) for (const p of obj.programs()) if (!ownPrograms.has(p.name)) p.setAutoload(false);
  return obj;
}

function settingsBytes(manifest: Manifest, values: Record<string, bigint>): Buffer {
  const size = Math.max(...manifest.settings.map((st) => st.offset + st.size));
  const b = Buffer.alloc(size);
  for (const st of manifest.settings) b.writeBigUInt64LE(values[st.name] ?? 0n, st.offset);
  return b;
}

/** The ring of a program whose only records are exit()'s: they end the run, and the first one is enough. */
export const EXIT_ONLY_RING_SIZE = 1 << 16;

/**
 * Records a run sends rarely: exit(), and the warning of a map update that
 * failed (a full map; thousands fit in the small ring, and a flood of them
 * is counted as lost events, as any other).
 */
function rareRecord(a: Manifest['actions'][number]): boolean {
  return a.kind === 'exit' || (a.kind === 'helper_error' && (a as { helper?: string }).helper === 'map_update_elem');
}

/**
 * The event ring's size for this run. The whole ring is mapped into the
 * process (twice over, so records that wrap read whole): its size is resident
 * memory. A program that sends nothing but rare records (exit(), a full map's
 * warning) gets a small ring where the runtime can size it; any other keeps
 * the configured size (perf_rb_pages).
 */
export function eventRingSize(manifest: Manifest, obj: RuntimeObject): number {
  const size = manifest.ringbuf.size;
  if (!obj.setMapMaxEntries || size <= EXIT_ONLY_RING_SIZE || !manifest.actions.every(rareRecord)) return size;
  obj.setMapMaxEntries(manifest.ringbuf.cName, EXIT_ONLY_RING_SIZE);
  return EXIT_ONLY_RING_SIZE;
}

/** Probe frames (values too big for the stack): one entry per possible CPU, indexed by the CPU's id. */
function sizeFrameMaps(manifest: Manifest, obj: RuntimeObject, cpus: number): void {
  for (const name of manifest.frameMaps ?? []) {
    if (!obj.setMapMaxEntries) throw new Error(`the runtime cannot size map ${name}: strings this large need a runtime with setMapMaxEntries`);
    obj.setMapMaxEntries(name, cpus);
  }
}

/** Writes the run-time settings, loads, and prints what -v / -d libbpf / -d verifier ask for. */
export function loadObject(s: RunContext, obj: RuntimeObject): void {
  const { manifest, opts, writer: w } = s;
  obj.setRodata(settingsBytes(manifest, {
    cpid: BigInt(opts.child?.pid ?? 0),
    start_ns: process.hrtime.bigint(),
    ncpus: BigInt(s.runtime.possibleCpus()),
  }));
  sizeFrameMaps(manifest, obj, s.runtime.possibleCpus());
  const verifierLog = opts.debugLogs?.verifier ? 'full' : opts.verbose ? 'stats' : undefined;
  let logs: ReturnType<RuntimeObject['load']>;
  try {
    logs = obj.load({ ...(verifierLog ? { verifierLog } : {}), runtimeLog: opts.debugLogs?.libbpf ?? false, logSize: s.config.logSize });
  } catch (e) {
    // -d verifier asked for the verifier's own words. A loop's refusal is named
    // even when its long log was cut: the buffer keeps the log's end.
    const loop = opts.debugLogs?.verifier ? undefined : loopLimitError(e, s.compiled);
    throw loop ?? trimmedLogError(e, manifest, s.config.logSize, opts.verbose ?? false) ?? withProviderHint(e, 'load', manifest, s.registry);
  }
  if (opts.debugLogs?.libbpf) w.err(logs.all);
  if (!opts.verbose && !opts.debugLogs?.verifier) return;
  w.err(`Attaching ${manifest.probes.length} ${manifest.probes.length === 1 ? 'probe' : 'probes'}...\n`);
  for (const p of manifest.probes) {
    const details = obj.program(p.programName).details();
    // Sizes are -v's; -d verifier alone names the program only.
    const size = opts.verbose && details.bytes !== undefined ? `, ${details.instructions} instructions (${details.bytes} bytes)` : '';
    w.err(`\nProgram ID: ${details.id ?? '?'} (${p.name}: ${p.programName}, section ${p.section}${size})\n`);
    const log = logs.verifier.get(p.programName);
    if (log !== undefined) w.err(`\nThe verifier log:\n${log.replace(/\s+$/, '')}\n`);
  }
  w.err('\n');
}
