// Bytes to JS values, driven by the Manifest's layouts: the values of event
// records, map keys and map values, as BPF on this host lays them out.
//
// All integers decode to bigint, so 64-bit values never lose precision.
import { shownFields, sizeOf } from '../types/value-types.ts';
import type { BitfieldLayout, StructType, ValueType } from './types.ts';

/** A struct or record value: fields in declaration order. */
export interface RecordValue {
  kind: 'record';
  fields: [string, Value][];
}

/**
 * A decoded value. Which JS shape goes with which ValueType:
 * int, pointer -> bigint; bool -> boolean; string -> string; buffer -> Uint8Array;
 * tuple, array -> Value[]; record, struct -> RecordValue; none -> null.
 */
export type Value = bigint | boolean | string | Uint8Array | null | Value[] | RecordValue;

export interface DecodeOptions {
  /**
   * Appended to a string that fills its whole buffer without a NUL (it was
   * truncated): bpftrace's `str_trunc_trailer` config, default "..".
   */
  strTruncTrailer?: string;
}

/** Byte size of a value of this type (as laid out in events and maps): core/types' layout rule. */
export function valueTypeSize(type: ValueType): number {
  return sizeOf(type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** ISO-8859-1: byte 0xNN becomes U+00NN (TextDecoder's "latin1" is really windows-1252). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Text of raw string bytes. bpftrace writes the bytes as they are; a JS string
 * cannot hold arbitrary bytes, so valid UTF-8 decodes as UTF-8 (and prints back
 * byte for byte) and anything else decodes as Latin-1 (one char per byte).
 */
export function decodeString(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

function bytesOf(view: DataView, offset: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

/** A little-endian integer of `size` bytes. */
export function decodeInt(view: DataView, offset: number, size: number, signed: boolean): bigint {
  switch (size) {
    case 1:
      return BigInt(signed ? view.getInt8(offset) : view.getUint8(offset));
    case 2:
      return BigInt(signed ? view.getInt16(offset, true) : view.getUint16(offset, true));
    case 4:
      return BigInt(signed ? view.getInt32(offset, true) : view.getUint32(offset, true));
    default:
      return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
  }
}

/** Decodes the value of `type` stored at `offset` (little-endian, as BPF on this host writes it). */
export function decodeValue(view: DataView, offset: number, type: ValueType, opts: DecodeOptions = {}): Value {
  switch (type.kind) {
    case 'int':
      return decodeInt(view, offset, type.size, type.signed);
    case 'bool':
      return view.getUint8(offset) !== 0;
    case 'pointer':
      return view.getBigUint64(offset, true);
    case 'string': {
      const raw = bytesOf(view, offset, type.size);
      const nul = raw.indexOf(0);
      if (nul >= 0) return decodeString(raw.subarray(0, nul));
      return decodeString(raw) + (opts.strTruncTrailer ?? '..');
    }
    case 'buffer': {
      const len = Math.min(view.getUint32(offset, true), type.size);
      return bytesOf(view, offset + 4, len).slice();
    }
    case 'tuple':
      return type.elements.map((e) => decodeValue(view, offset + e.offset, e.type, opts));
    case 'record':
      return {
        kind: 'record',
        fields: type.fields.map((f): [string, Value] => [f.name, decodeValue(view, offset + f.offset, f.type, opts)]),
      };
    case 'struct':
      return decodeStruct(view, offset, type, opts);
    case 'array': {
      const stride = type.length > 0 && type.size % type.length === 0 ? type.size / type.length : valueTypeSize(type.element);
      const out: Value[] = [];
      for (let i = 0; i < type.length; i++) out.push(decodeValue(view, offset + i * stride, type.element, opts));
      return out;
    }
    case 'none':
      return null;
  }
}

/** A struct's fields, its bitfields among them in the order of their bits. */
function decodeStruct(view: DataView, offset: number, type: StructType, opts: DecodeOptions): RecordValue {
  return {
    kind: 'record',
    fields: shownFields(type).map((f): [string, Value] => [
      f.name,
      f.bitfield ? decodeBitfield(view, offset, f.bitfield) : decodeValue(view, offset + f.offset, f.type, opts),
    ]),
  };
}

/** The bits of one bitfield (little-endian, as BPF on this host lays them out), sign-extended for a signed type. */
function decodeBitfield(view: DataView, offset: number, b: BitfieldLayout): Value {
  const first = Math.floor(b.bitOffset / 8);
  const last = Math.floor((b.bitOffset + b.bitSize - 1) / 8);
  let raw = 0n;
  for (let i = last; i >= first; i--) raw = (raw << 8n) | BigInt(view.getUint8(offset + i));
  let v = (raw >> BigInt(b.bitOffset % 8)) & ((1n << BigInt(b.bitSize)) - 1n);
  if (b.type.kind === 'bool') return v !== 0n;
  if (b.type.kind === 'int' && b.type.signed && (v >> BigInt(b.bitSize - 1)) & 1n) v -= 1n << BigInt(b.bitSize);
  return v;
}
