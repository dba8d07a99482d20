// Builders for hand-made layouts, Manifest entries and map values, and a
// capturing OutputWriter: shared by the output format tests (text, json,
// lib/render) and the Manifest's decoding tests.
import { sizeOf } from '../../core/types/index.ts';
import {
  histBucket,
  histBucketCount,
  lhistBucket,
  lhistBucketCount,
  type IntType,
  type MapEntry,
  type MapInfo,
  type MapValueKind,
  type Value,
  type ValueType,
} from '../../core/manifest/index.ts';
import type { OutputWriter } from '../../sdk/index.ts';

export const i8: IntType = { kind: 'int', size: 1, signed: true };
export const u8: IntType = { kind: 'int', size: 1, signed: false };
export const i16: IntType = { kind: 'int', size: 2, signed: true };
export const u16: IntType = { kind: 'int', size: 2, signed: false };
export const i32: IntType = { kind: 'int', size: 4, signed: true };
export const u32: IntType = { kind: 'int', size: 4, signed: false };
export const i64: IntType = { kind: 'int', size: 8, signed: true };
export const u64: IntType = { kind: 'int', size: 8, signed: false };
export const bool: ValueType = { kind: 'bool' };
export const none: ValueType = { kind: 'none' };
export const str = (size: number): ValueType => ({ kind: 'string', size });
export const buf = (size: number): ValueType => ({ kind: 'buffer', size });
export const ptr: ValueType = { kind: 'pointer', pointee: 'int8' };

/** A tuple of the given element types with explicit offsets. */
export function tuple(...elements: [ValueType, number][]): ValueType {
  const size = Math.max(0, ...elements.map(([t, o]) => o + sizeOf(t)));
  return { kind: 'tuple', elements: elements.map(([type, offset]) => ({ type, offset })), size: Math.ceil(size / 8) * 8 };
}

export function record(...fields: [string, ValueType, number][]): ValueType {
  const size = Math.max(0, ...fields.map(([, t, o]) => o + sizeOf(t)));
  return { kind: 'record', fields: fields.map(([name, type, offset]) => ({ name, type, offset })), size: Math.ceil(size / 8) * 8 };
}

export function mapInfo(name: string, value: MapValueKind, keyType?: ValueType, extra: Partial<MapInfo> = {}): MapInfo {
  return {
    name,
    cName: 'AT_' + name.slice(1),
    bpfType: 'percpu_hash',
    keyType,
    keySize: 8,
    value,
    valueSize: 8,
    maxEntries: 4096,
    ...extra,
  };
}

/** A little-endian byte writer for building keys and values by hand. */
export class Bytes {
  readonly buf: Uint8Array;
  readonly view: DataView;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  u8(o: number, v: number): this {
    this.view.setUint8(o, v);
    return this;
  }
  i16(o: number, v: number): this {
    this.view.setInt16(o, v, true);
    return this;
  }
  i32(o: number, v: number): this {
    this.view.setInt32(o, v, true);
    return this;
  }
  u32(o: number, v: number): this {
    this.view.setUint32(o, v, true);
    return this;
  }
  i64(o: number, v: bigint): this {
    this.view.setBigInt64(o, v, true);
    return this;
  }
  u64(o: number, v: bigint): this {
    this.view.setBigUint64(o, v, true);
    return this;
  }
  text(o: number, s: string): this {
    this.buf.set(new TextEncoder().encode(s), o);
    return this;
  }
  bytes(o: number, b: number[]): this {
    this.buf.set(b, o);
    return this;
  }
}

// --- map values ------------------------------------------------------------------

/** The hist buckets of `values` (log2, `bits` linear steps per power of two). */
export function histOf(values: bigint[], bits = 0): bigint[] {
  const counts = new Array<bigint>(histBucketCount(bits)).fill(0n);
  for (const v of values) counts[histBucket(v, bits)]++;
  return counts;
}

/** The lhist buckets of `values`. */
export function lhistOf(values: bigint[], min: bigint, max: bigint, step: bigint): bigint[] {
  const counts = new Array<bigint>(lhistBucketCount(min, max, step)).fill(0n);
  for (const v of values) counts[lhistBucket(v, min, max, step)]++;
  return counts;
}

export const hist = (counts: bigint[]): MapEntry['value'] => ({ kind: 'hist', counts });
export const int = (value: bigint): MapEntry['value'] => ({ kind: 'int', value });
export const stats = (total: bigint, count: bigint): MapEntry['value'] => ({ kind: 'stats', total, count, average: count > 0n ? total / count : 0n });
export const plain = (value: Value): MapEntry['value'] => ({ kind: 'plain', value });

// --- output ------------------------------------------------------------------------

/** An OutputWriter that keeps what goes to stdout and stderr. */
export function capture(): OutputWriter & { stdout: string; stderr: string } {
  const w = { stdout: '', stderr: '', out: (s: string) => void (w.stdout += s), err: (s: string) => void (w.stderr += s) };
  return w;
}
