// Wall-clock text for time() and strftime(). BPF timestamps count nanoseconds
// of the boot clock; the offset to the real-time clock is measured once per
// session (the lowest-skew of five real/boot/real clock readings, as bpftrace
// does), and strftime(3) itself formats, in the local time zone. Values typed
// by strftime() are turned into strings before any output format sees them,
// so text and JSON print them as the strings bpftrace prints. ksym() values
// (kernel addresses) are turned into symbol names the same way.
import { kernelSymbolName, kernelSymbolOffset, syscallName } from '../../lib/host/index.ts';
import type { MapSnapshot, Runtime } from '../../sdk/index.ts';
import type { AggregateValue, MapValueKind, ValueType } from '../manifest/index.ts';

/** strftime(3) output is cut at this many bytes (bpftrace uses a 64-byte buffer for time()). */
const MAX_TIME_TEXT = 1024;

export class WallClock {
  /** realtime - boottime, in nanoseconds. */
  readonly bootToRealtimeNs: bigint;

  /** @param runtime reads the clocks, runs strftime(3) and names errnos */
  constructor(readonly runtime: Runtime) {
    let best: { delta: bigint; offset: bigint } | undefined;
    for (let i = 0; i < 5; i++) {
      const before = runtime.clockNs('realtime');
      const boot = runtime.clockNs('boottime');
      const after = runtime.clockNs('realtime');
      const delta = after - before;
      if (delta < 0n) continue;
      if (!best || delta < best.delta) best = { delta, offset: (before + after) / 2n - boot };
    }
    this.bootToRealtimeNs = best?.offset ?? runtime.clockNs('realtime') - runtime.clockNs('boottime');
  }

  /** time(fmt): the current wall-clock time. */
  now(format: string): string {
    return this.format(format, this.runtime.clockNs('realtime'), false);
  }

  /** strftime(fmt, ns): a boot-clock timestamp as wall-clock time; `%f` is its microseconds. */
  strftime(format: string, bootNs: bigint): string {
    return this.format(format, bootNs + this.bootToRealtimeNs, true);
  }

  private format(format: string, realNs: bigint, micros: boolean): string {
    const seconds = realNs >= 0n ? realNs / 1_000_000_000n : (realNs - 999_999_999n) / 1_000_000_000n;
    let fmt = format;
    if (micros) {
      const us = String((realNs - seconds * 1_000_000_000n) / 1000n).padStart(6, '0');
      // `%%f` is a literal `%f`; only a lone `%f` is replaced.
      fmt = fmt.replace(/%(%|f)/g, (m, c: string) => (c === 'f' ? us : m));
    }
    return this.runtime.strftime(fmt, seconds, MAX_TIME_TEXT) ?? '';
  }
}

/** What turning values into text needs from the session: the clock, errno texts, and kernel stacks by id. */
export interface ValueRendering {
  strftime(format: string, bootNs: bigint): string;
  readonly bootToRealtimeNs: bigint;
  /** Names errnos (strerror()). */
  readonly runtime: Pick<Runtime, 'errnoMessage'>;
  /** The instruction pointers of a kstack() id in the program's stack map `map`. */
  kernelStackFrames?(map: string, id: number): bigint[] | undefined;
}

/** A kstack as bpftrace prints it: a newline, then one indented frame per line. */
function formatKernelStack(frames: bigint[], mode: 'bpftrace' | 'perf' | 'raw', limit: number): string {
  const shown = frames.filter((ip) => ip !== 0n).slice(0, limit);
  const line = (ip: bigint) => {
    if (mode === 'raw') return ip.toString(16);
    const name = kernelSymbolOffset(ip);
    return mode === 'perf' ? `\t${ip.toString(16)} ${name} ([kernel.kallsyms])` : `        ${name}`;
  };
  return `\n${shown.map((ip) => `${line(ip)}\n`).join('')}`;
}

function symbolText(kind: 'kernel' | 'errno' | 'syscall', v: bigint, runtime: Pick<Runtime, 'errnoMessage'>): string {
  if (kind === 'kernel') return kernelSymbolName(v);
  if (kind === 'syscall') return syscallName(Number(v));
  return runtime.errnoMessage(Number(BigInt.asIntN(32, v)));
}

/** Whether a value of this type holds a strftime() timestamp anywhere. */
export function hasTimestamp(t: ValueType | undefined): boolean {
  if (!t) return false;
  switch (t.kind) {
    case 'int':
      return t.strftime !== undefined || t.symbol !== undefined || t.stack !== undefined;
    case 'tuple':
      return t.elements.some((e) => hasTimestamp(e.type));
    case 'record':
    case 'struct':
      return t.fields.some((f) => hasTimestamp(f.type));
    case 'array':
      return hasTimestamp(t.element);
    default:
      return false;
  }
}

/** The value with its timestamps turned into text, and the type that describes it. */
export function materializeTimestamps(value: unknown, type: ValueType, clock: ValueRendering): { value: unknown; type: ValueType } {
  if (!hasTimestamp(type)) return { value, type };
  switch (type.kind) {
    case 'int': {
      if (type.symbol) return { value: symbolText(type.symbol, BigInt(value as bigint), clock.runtime), type: { kind: 'string', size: 256 } };
      if (type.stack) {
        const id = Number(BigInt.asIntN(64, BigInt(value as bigint)));
        const frames = id >= 0 ? clock.kernelStackFrames?.(type.stack.map, id) : undefined;
        return { value: formatKernelStack(frames ?? [], type.stack.mode, type.stack.limit), type: { kind: 'string', size: 8192 } };
      }
      const text = clock.strftime(type.strftime!, BigInt(value as bigint));
      return { value: text, type: { kind: 'string', size: MAX_TIME_TEXT } };
    }
    case 'tuple': {
      const parts = type.elements.map((e, i) => materializeTimestamps((value as unknown[])[i], e.type, clock));
      return { value: parts.map((p) => p.value), type: { ...type, elements: type.elements.map((e, i) => ({ ...e, type: parts[i]!.type })) } };
    }
    case 'record':
    case 'struct': {
      const rec = value as { kind: 'record'; fields: [string, unknown][] };
      const parts = type.fields.map((f, i) => materializeTimestamps(rec.fields[i]?.[1], f.type, clock));
      return {
        value: { ...rec, fields: rec.fields.map(([n], i) => [n, parts[i]!.value]) },
        type: { ...type, fields: type.fields.map((f, i) => ({ ...f, type: parts[i]!.type })) },
      };
    }
    case 'array': {
      const parts = (value as unknown[]).map((v) => materializeTimestamps(v, type.element, clock));
      return { value: parts.map((p) => p.value), type: { ...type, element: parts[0]?.type ?? type.element } };
    }
    default:
      return { value, type };
  }
}

/** tseries points with their wall-clock start added (real-time ns and local `%Y-%m-%dT%H:%M:%S`). */
function wallTseries(snap: MapSnapshot, clock: ValueRendering): MapSnapshot {
  if (snap.info.value.kind !== 'tseries') return snap;
  const entries = snap.entries.map((e) => {
    const v = e.value as AggregateValue;
    if (v.kind !== 'tseries') return e;
    const points = v.points.map((p) => ({ ...p, wallNs: p.start + clock.bootToRealtimeNs, wallText: clock.strftime('%Y-%m-%dT%H:%M:%S', p.start) }));
    return { ...e, value: { ...v, points } };
  });
  return { ...snap, entries };
}

/** A map snapshot with timestamps in its keys and plain values turned into text (tseries: wall-clock starts added). */
export function materializeSnapshot(raw: MapSnapshot, clock: ValueRendering): MapSnapshot {
  const snap = wallTseries(raw, clock);
  const value = snap.info.value;
  const keyed = hasTimestamp(snap.info.keyType);
  const valued = value.kind === 'plain' && hasTimestamp(value.type);
  if (!keyed && !valued) return snap;
  let keyType = snap.info.keyType;
  let valueKind: MapValueKind = value;
  const entries = snap.entries.map((e) => {
    const k = keyed && snap.info.keyType ? materializeTimestamps(e.key, snap.info.keyType, clock) : { value: e.key, type: keyType };
    const v = valued && value.kind === 'plain' ? materializeTimestamps((e.value as { value: unknown }).value, value.type, clock) : undefined;
    keyType = k.type;
    if (v) valueKind = { kind: 'plain', type: v.type };
    return { key: k.value, value: v ? { ...(e.value as object), value: v.value } : e.value };
  });
  return { info: { ...snap.info, keyType, value: valueKind }, entries };
}
