// Builders for hand-made layouts and Manifest entries used by the output tests.
import { sizeOf } from '../../../../core/types/index.ts';
import type { IntType, MapInfo, MapValueKind, ValueType } from '../../../../core/manifest/index.ts';

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
