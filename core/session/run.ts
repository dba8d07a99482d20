// The run half of a session: load the object, run begin probes, attach the
// rest, carry events to the output format, and on the way out (exit(), -c
// child exit, -p target exit, Ctrl-C, SIGTERM) detach everything, run end
// probes, print maps and report lost events.
import type { Container } from 'inversify';
import * as rt from '../../plugins/runtime-libbpf/index.ts';
import { Services, type Attachment, type AttachEnv, type MapSnapshot, type OutputFormat, type OutputWriter, type ProbeProvider } from '../../sdk/index.ts';
import { decodeMapEntries, decodeValue, type Action, type Manifest, type MapInfo, type RawMapEntry } from '../manifest/index.ts';
import { compileC } from '../build/index.ts';
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

export async function runCompiled(container: Container, compiled: CompiledScript, opts: RunOptions): Promise<number> {
  const hooks = container.get(Services.Hooks);
  const config = container.get(Services.Config);
  const formatName = opts.format ?? 'text';
  const output = container.getAll(Services.OutputFormat).find((f) => f.name === formatName);
  if (!output) throw new Error(`Invalid output format "${formatName}"`);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const { manifest } = compiled;
  const w = opts.writer;

  const build = compileC(compiled.c);
  hooks.compiled.call(build.objectPath);

  let stopRequested: () => void = () => {};
  let stopError: unknown;
  const obj = rt.BpfObject.open(build.objectPath, { name: 'bpfscript' });
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
    obj.load();
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
    const handleAction = (action: Action, view: DataView, offset: number): void => {
      switch (action.kind) {
        case 'printf':
          output.printf(action, action.args.map((a) => ({ value: decodeValue(view, offset + a.offset, a.type), type: a.type })), w);
          return;
        case 'print_value':
          output.printValue(decodeValue(view, offset + action.arg.offset, action.arg.type), action.arg.type, w);
          return;
        case 'print_map': {
          const info = manifest.maps.find((m) => m.name === action.map)!;
          output.printMap(snapshot(obj, info), { top: action.top, div: action.div }, w);
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
        testRun: () => program.testRun(),
      },
      perfEventOpen: (o) => rt.perfEventOpen(o),
      closeFd: (fd) => rt.closeFd(fd),
      onlineCpus: () => rt.onlineCpus(),
      targetPid: opts.child?.pid ?? opts.targetPid,
    });
    const beginProbes: rt.BpfProgram[] = [];
    const endProbes: rt.BpfProgram[] = [];
    for (const p of manifest.probes) {
      const provider = registry.find(p.provider) as ProbeProvider;
      const program = obj.program(p.programName);
      if (provider.role === 'begin') beginProbes.push(program);
      else if (provider.role === 'end') endProbes.push(program);
      else {
        try {
          attachments.push(...provider.attach!(p, env(program)));
        } catch (e) {
          if (config.missingProbes === 'error' || !(e instanceof rt.BpfError)) throw e;
          if (config.missingProbes === 'warn') w.err(`WARNING: ${e.message}\n`);
        }
      }
    }
    hooks.attached.call(manifest.probes.length);
    if (!opts.quiet) output.attached(manifest.probes.length, w);
    if (opts.dryRun) return 0;

    pump.start();
    for (const p of beginProbes) p.testRun();
    opts.child?.release();

    const onSignal = () => stopRequested();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
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
    if (pidWatch) clearInterval(pidWatch);
    if (stopError) throw stopError;

    // Stop new events, then let end probes run and drain what is left.
    pump.stop();
    for (const a of attachments.splice(0)) a.detach();
    pump.flush();
    for (const p of endProbes) p.testRun();
    pump.flush();

    const lost = lostEvents(obj, manifest);
    if (lost > 0n) output.lostEvents(Number(lost), w);
    output.mapsAtExit(config.printMapsOnExit ? manifest.maps.map((m) => snapshot(obj, m)) : [], w);
    await hooks.exit.promise(exitCode ?? 0);
    return exitCode ?? 0;
  } finally {
    process.off('exit', cleanup);
    cleanup();
  }
}

function wrapLink(link: rt.BpfLink): Attachment {
  return { detach: () => link.destroy() };
}
