// The run half of a session: load the object, run begin probes, attach the
// rest, carry events to the output format, and on the way out (exit(), -c
// child exit, -p target exit, Ctrl-C, SIGTERM) detach everything, run end
// probes, print maps and report lost events.
import type { Container } from 'inversify';
import * as rt from '../../plugins/runtime/libbpf/index.ts';
import { Services, type Attachment, type AttachEnv, type MapSnapshot, type OutputFormat, type OutputWriter, type ProbeProvider } from '../../sdk/index.ts';
import { decodeMapEntries, decodeValue, type Action, type Manifest, type MapInfo, type RawMapEntry, type ValueType } from '../manifest/index.ts';
import type { SourceTexts } from '../diagnostics/index.ts';
import { compileC, linkObjects, type CompileResult } from '../build/index.ts';
import { formatPrintf } from '../../lib/render/index.ts';
import { copyFileSync } from 'node:fs';
import { ActionRunner } from './actions.ts';
import { WallClock, materializeSnapshot, materializeTimestamps, type ValueRendering } from './timestamps.ts';
import { KERNEL_STACK_MAP } from '../../plugins/builtins/index.ts';
import { BPF_INSN_BYTES, functionSizes, programFdInfo } from './elf.ts';
import { ProviderRegistry } from '../probes/index.ts';
import type { CompiledScript } from './compile.ts';
import type { ChildProcessHandle } from './child.ts';

export interface RunOptions {
  writer: OutputWriter;
  format?: string;
  quiet?: boolean;
  /** Load and attach, then stop without running (`--dry-run`). */
  dryRun?: boolean;
  child?: ChildProcessHandle;
  /** -p PID: stop when it exits. */
  targetPid?: number;
  /** Script texts by file name: errorf/warnf and run-time errors quote their line. */
  sources?: SourceTexts;
  /** --no-warnings: warnf() prints nothing. */
  noWarnings?: boolean;
  /** Extra clang flags (-I DIR, -include FILE). */
  clangFlags?: string[];
  /** Ends the run as Ctrl-C does; when given, the caller owns SIGINT/SIGTERM. */
  stop?: AbortSignal;
  /** -v: compile cache, program sizes and ids, verifier statistics, attach details (stderr). */
  verbose?: boolean;
  /** -d libbpf: libbpf's whole log; -d verifier: the verifier's log of every program (stderr). */
  debugLogs?: { libbpf?: boolean; verifier?: boolean };
  /** --emit-elf FILE: the compiled BPF object is copied there. */
  emitElf?: string;
}

function mapEntries(map: rt.BpfMap): RawMapEntry[] {
  const { keys, values, count } = map.entries();
  const ks = map.keySize;
  const vs = map.valueStride;
  const out: RawMapEntry[] = [];
  for (let i = 0; i < count; i++) out.push({ key: keys.subarray(i * ks, (i + 1) * ks), value: values.subarray(i * vs, (i + 1) * vs) });
  return out;
}

function snapshot(obj: rt.BpfObject, info: MapInfo): MapSnapshot {
  return { info, entries: decodeMapEntries(info, mapEntries(obj.map(info.cName))) };
}

function settingsBytes(manifest: Manifest, values: Record<string, bigint>): Buffer {
  const size = Math.max(...manifest.settings.map((s) => s.offset + s.size));
  const b = Buffer.alloc(size);
  for (const s of manifest.settings) b.writeBigUInt64LE(values[s.name] ?? 0n, s.offset);
  return b;
}

function lostEvents(obj: rt.BpfObject, manifest: Manifest): bigint {
  const v = obj.map(manifest.dropCounter).lookup(Buffer.alloc(4));
  return v ? v.readBigUInt64LE(0) : 0n;
}

/** The generated program compiled (cached), then linked with the objects of the script's C units, if any. */
export function buildProgramObject(compiled: CompiledScript, clangFlags?: string[]): CompileResult {
  const build = compileC(compiled.c, clangFlags);
  if (!compiled.linkObjects.length) return build;
  const linked = linkObjects([{ path: build.objectPath, name: 'the generated program' }, ...compiled.linkObjects]);
  return { ...build, objectPath: linked.objectPath };
}

export async function runCompiled(container: Container, compiled: CompiledScript, opts: RunOptions): Promise<number> {
  const hooks = container.get(Services.Hooks);
  const config = container.get(Services.Config);
  const formatName = opts.format ?? 'text';
  const output = container.getAll(Services.OutputFormat).find((f) => f.name === formatName);
  if (!output) throw new Error(`Invalid output format "${formatName}"`);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const { manifest } = compiled;
  const w = opts.writer;
  output.prepare?.(manifest);

  const build = buildProgramObject(compiled, opts.clangFlags);
  hooks.compiled.call(build.objectPath);
  if (opts.emitElf) copyFileSync(build.objectPath, opts.emitElf);
  if (opts.verbose) w.err(`BPF object ${build.objectPath} (${build.cached ? 'compile cache hit' : `clang ${Math.round(build.clangMs)} ms`})\n`);
  let clock: WallClock | undefined;
  const wallClock = () => (clock ??= new WallClock());
  /** Values are handed to the output formats with strftime() timestamps already turned into text. */
  // What values need to become text: the wall clock, and kstack() frames from the stack map.
  const rendering: ValueRendering = {
    strftime: (format, bootNs) => wallClock().strftime(format, bootNs),
    get bootToRealtimeNs() {
      return wallClock().bootToRealtimeNs;
    },
    kernelStackFrames: (id) => {
      const map = obj.findMap(KERNEL_STACK_MAP);
      const key = Buffer.alloc(4);
      key.writeUInt32LE(id);
      const value = map?.lookup(key);
      if (!value) return undefined;
      const frames: bigint[] = [];
      for (let o = 0; o + 8 <= value.length; o += 8) frames.push(value.readBigUInt64LE(o));
      return frames;
    },
  };
  const shown = (value: unknown, type: ValueType) => materializeTimestamps(value, type, rendering);
  const shownSnapshot = (info: MapInfo) => materializeSnapshot(snapshot(obj, info), rendering);

  let stopRequested: () => void = () => {};
  let stopError: unknown;
  const obj = rt.BpfObject.open(build.objectPath, { name: 'bpfscript' });
  // Programs of imported objects are not the script's: only its probes load.
  const ownPrograms = new Set(manifest.probes.map((p) => p.programName));
  if (compiled.linkObjects.length) for (const p of obj.programs()) if (!ownPrograms.has(p.name)) p.setAutoload(false);
  const attachments: Attachment[] = [];
  let pump: rt.EventPump | undefined;
  let reader: rt.RingBufferReader | undefined;
  const cleanup = () => {
    pump?.stop();
    for (const a of attachments.splice(0)) {
      try {
        a.detach();
      } catch {
        // Already gone; closing the object below releases the rest.
      }
    }
    reader?.close();
    obj.close();
  };
  // Last resort: whatever happens, the kernel objects go with the process.
  process.once('exit', cleanup);
  try {
    obj.setRodata(settingsBytes(manifest, {
      cpid: BigInt(opts.child?.pid ?? 0),
      start_ns: process.hrtime.bigint(),
      ncpus: BigInt(rt.numPossibleCpus()),
    }));
    const programSizes = opts.verbose ? functionSizes(build.objectPath) : undefined;
    let loadLog: ReturnType<typeof loadObject>;
    try {
      loadLog = loadObject(obj, manifest, opts);
    } catch (e) {
      throw withProviderHint(e, 'load', manifest, registry);
    }
    if (opts.debugLogs?.libbpf) w.err(loadLog.all);
    if (opts.verbose || opts.debugLogs?.verifier) {
      w.err(`Attaching ${manifest.probes.length} ${manifest.probes.length === 1 ? 'probe' : 'probes'}...\n`);
      for (const p of manifest.probes) {
        const program = obj.program(p.programName);
        const info = programFdInfo(program.fd);
        const bytes = programSizes?.get(p.programName);
        const size = bytes !== undefined ? `, ${bytes / BPF_INSN_BYTES} instructions (${bytes} bytes)` : '';
        w.err(`\nProgram ID: ${info.prog_id ?? '?'} (${p.name}: ${p.programName}, section ${p.section}${size})\n`);
        const log = loadLog.verifier.get(p.programName);
        if (log !== undefined) w.err(`\nThe verifier log:\n${log.replace(/\s+$/, '')}\n`);
      }
      w.err('\n');
    }
    hooks.loaded.call(manifest);

    const actions = new Map<number, Action>(manifest.actions.map((a) => [a.id, a]));
    let exitCode: number | undefined;
    const finished = new Promise<void>((resolve) => {
      stopRequested = resolve;
    });
    const dispatch = (view: DataView, offset: number): void => {
      const id = Number(view.getBigUint64(offset, true));
      hooks.event.call(id, view, offset);
      const action = actions.get(id);
      if (!action) return;
      handleAction(action, view, offset);
    };
    const args = (layouts: { offset: number; type: ValueType }[], view: DataView, offset: number) =>
      layouts.map((a) => shown(decodeValue(view, offset + a.offset, a.type), a.type));
    const runner = new ActionRunner(output, w, {
      sources: opts.sources,
      noWarnings: opts.noWarnings,
      maxCatBytes: config.maxCatBytes,
      clock: wallClock,
      format: (format, values) => formatPrintf(format, values as Parameters<typeof formatPrintf>[1]),
    });
    const handleAction = (action: Action, view: DataView, offset: number): void => {
      switch (action.kind) {
        case 'printf':
          output.printf(action, args(action.args, view, offset), w);
          return;
        case 'print_value': {
          const v = shown(decodeValue(view, offset + action.arg.offset, action.arg.type), action.arg.type);
          output.printValue(v.value, v.type, w);
          return;
        }
        case 'print_map': {
          const info = manifest.maps.find((m) => m.name === action.map)!;
          output.printMap(shownSnapshot(info), { top: action.top, div: action.div }, w);
          return;
        }
        case 'clear':
        case 'zero': {
          const info = manifest.maps.find((m) => m.name === action.map)!;
          const map = obj.map(info.cName);
          if (action.kind === 'clear') map.clear();
          else map.zero();
          return;
        }
        case 'exit':
          if (exitCode === undefined) exitCode = Number(BigInt.asIntN(32, view.getBigUint64(offset + 8, true)));
          stopRequested();
          return;
        case 'time':
        case 'logf':
        case 'cat':
        case 'system':
        case 'join':
        case 'helper_error':
          runner.run(action, view, offset, (layouts) => args(layouts, view, offset));
          return;
      }
    };

    reader = new rt.RingBufferReader(obj.map(manifest.ringbuf.cName).fd, manifest.ringbuf.size);
    pump = new rt.EventPump(reader, (view, offset) => dispatch(view, offset), {
      onError: (e) => {
        stopError = e;
        stopRequested();
      },
    });

    // Attach everything but begin/end; `Attached N probes` counts them all, as bpftrace does.
    const env = (program: rt.BpfProgram): AttachEnv => ({
      program: {
        name: program.name,
        attachTracepoint: (c, e) => wrapLink(program.attachTracepoint(c, e)),
        attachRawTracepoint: (n) => wrapLink(program.attachRawTracepoint(n)),
        attachPerfEvent: (fd) => wrapLink(program.attachPerfEvent(fd)),
        attachAuto: () => wrapLink(program.attach()),
        attachIter: () => {
          const link = program.attachIter();
          return { detach: () => link.destroy(), drive: () => void link.read() };
        },
        attachUprobe: (ret, pid, path, offset) => wrapLink(program.attachUprobe(ret, pid, path, offset)),
        attachUsdt: (pid, path, provider, name) => wrapLink(program.attachUsdt(pid, path, provider, name)),
        testRun: () => program.testRun(),
      },
      // The SDK names breakpoint fields; perf_event_attr keeps them in config1/config2.
      perfEventOpen: (o) => rt.perfEventOpen({ ...o, config1: o.bpAddr, config2: o.bpLen === undefined ? undefined : BigInt(o.bpLen) }),
      closeFd: (fd) => rt.closeFd(fd),
      onlineCpus: () => rt.onlineCpus(),
      targetPid: opts.child?.pid ?? opts.targetPid,
    });
    const programsOf = (role: 'begin' | 'end') =>
      manifest.probes.filter((p) => registry.find(p.provider)?.role === role).map((p) => obj.program(p.programName));
    const endProbes = programsOf('end');
    // begin runs before any other probe can fire (upstream's order), so its
    // output comes first; a dry run runs nothing.
    if (!opts.dryRun) for (const p of programsOf('begin')) p.testRun();
    for (const p of manifest.probes) {
      const provider = registry.find(p.provider) as ProbeProvider;
      const program = obj.program(p.programName);
      if (provider.role === 'begin' || provider.role === 'end') continue;
      {
        try {
          attachments.push(...provider.attach!(p, env(program)));
          if (opts.verbose) w.err(`Attaching ${p.name}\n`);
        } catch (e) {
          const hinted = withProviderHint(e, 'attach', manifest, registry, p.provider);
          if (config.missingProbes === 'error' || !(e instanceof rt.BpfError)) throw hinted;
          if (config.missingProbes === 'warn') w.err(`WARNING: ${(hinted as Error).message}\n`);
        }
      }
    }
    hooks.attached.call(manifest.probes.length);
    if (!opts.quiet) output.attached(manifest.probes.length, w);
    if (opts.dryRun) return 0;

    pump.start();
    // begin's output is printed before the -c command can print anything.
    pump.flush();
    w.flush?.();
    opts.child?.release();
    // Driven probes (iterators) run to completion now; then the run is over.
    const driven = attachments.filter((a) => a.drive);
    if (driven.length > 0) {
      for (const a of driven) a.drive!();
      stopRequested();
    }

    // Ctrl-C and SIGTERM end the run normally (end probes, maps); SIGUSR1 prints every map, as bpftrace.
    const onSignal = () => stopRequested();
    const ownSignals = !opts.stop;
    if (ownSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    } else if (opts.stop!.aborted) stopRequested();
    else opts.stop!.addEventListener('abort', onSignal);
    const onUsr1 = () => {
      for (const m of [...manifest.maps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) output.printMap(shownSnapshot(m), { top: 0, div: 0 }, w);
    };
    process.on('SIGUSR1', onUsr1);
    opts.child?.exited.then(() => stopRequested());
    const pidWatch = opts.targetPid ? setInterval(() => {
      try {
        process.kill(opts.targetPid!, 0);
      } catch {
        stopRequested();
      }
    }, 200) : undefined;
    if (exitCode === undefined) await finished;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    opts.stop?.removeEventListener('abort', onSignal);
    process.off('SIGUSR1', onUsr1);
    if (pidWatch) clearInterval(pidWatch);
    if (stopError) throw stopError;

    // Stop new events, then let end probes run and drain what is left.
    pump.stop();
    // Detaching a tracepoint link takes the kernel ~70 ms; several go in parallel.
    await Promise.all(attachments.splice(0).map((a) => (a.detachAsync ? a.detachAsync() : a.detach())));
    pump.flush();
    for (const p of endProbes) p.testRun();
    pump.flush();

    const lost = lostEvents(obj, manifest);
    if (lost > 0n) output.lostEvents(Number(lost), w);
    runner.finish();
    output.mapsAtExit(config.printMapsOnExit ? manifest.maps.map((m) => shownSnapshot(m)) : [], w);
    await hooks.exit.promise(exitCode ?? 0);
    return exitCode ?? 0;
  } finally {
    process.off('exit', cleanup);
    cleanup();
  }
}

interface LoadLog {
  /** Everything libbpf printed while opening and loading. */
  all: string;
  /** The verifier's log per program (only when one was asked for). */
  verifier: Map<string, string>;
}

/**
 * Loads the object. With -v or -d verifier each program asks the verifier for
 * a log (statistics, or the whole trace), which libbpf prints at debug level;
 * libbpf's output is captured for -d libbpf.
 */
/**
 * Adds the provider's explanation to a load or attach failure (e.g. a kernel
 * without kprobes), asking only the providers whose probes are in play.
 */
function withProviderHint(e: unknown, op: 'load' | 'attach', manifest: Manifest, registry: ProviderRegistry, only?: string): unknown {
  if (!(e instanceof rt.BpfError)) return e;
  const names = only ? [only] : [...new Set(manifest.probes.map((p) => p.provider))];
  for (const name of names) {
    const hint = registry.find(name)?.explainFailure?.({ op, errno: e.code, message: e.message });
    if (hint) {
      e.message = `${e.message}\nHINT: ${hint}`;
      break;
    }
  }
  return e;
}

function loadObject(obj: rt.BpfObject, manifest: Manifest, opts: RunOptions): LoadLog {
  const verifierLevel = opts.debugLogs?.verifier ? 2 | 4 : opts.verbose ? 4 : 0;
  if (!verifierLevel && !opts.debugLogs?.libbpf) {
    obj.load();
    return { all: '', verifier: new Map() };
  }
  for (const p of manifest.probes) obj.program(p.programName).setLogLevel(verifierLevel);
  const previous = process.env.BPFSCRIPT_LIBBPF_DEBUG;
  process.env.BPFSCRIPT_LIBBPF_DEBUG = '1';
  let failure: unknown;
  const { log } = rt.withLibbpfLog(() => {
    try {
      obj.load();
    } catch (e) {
      failure = e;
    }
  });
  if (previous === undefined) delete process.env.BPFSCRIPT_LIBBPF_DEBUG;
  else process.env.BPFSCRIPT_LIBBPF_DEBUG = previous;
  // The log went to this capture, not to the error: give it back.
  if (failure instanceof rt.BpfError) throw new rt.BpfError(`failed to load BPF object '${obj.name}'`, { op: failure.op, errno: failure.errno, log });
  if (failure) throw failure;
  const verifier = new Map<string, string>();
  for (const m of log.matchAll(/prog '([^']+)': -- BEGIN PROG LOAD LOG --\n([\s\S]*?)-- END PROG LOAD LOG --/g)) verifier.set(m[1]!, m[2]!);
  return { all: log, verifier };
}

function wrapLink(link: rt.BpfLink): Attachment {
  return { detach: () => link.destroy(), detachAsync: () => link.destroyAsync() };
}
