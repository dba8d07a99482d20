// A whole map read left in the two buffers of the batch read, decoded one
// entry at a time when asked: what output formats iterate to print a large
// map without holding one object per entry (the entries they make die young).
import { isArrayMap, mergeAggregateAt, type AggregateValue } from './aggregates.ts';
import type { MapEntry, PackedMapEntries } from './decode-map.ts';
import { decodeValue, type DecodeOptions, type Value } from './decode-value.ts';
import type { MapInfo } from './types.ts';

/**
 * A map's entries by position, 0 to `size - 1`, in the order the kernel gave
 * them (not print order). Each call decodes afresh: keep what you need.
 */
export interface MapEntriesView {
  readonly size: number;
  /** Entry i's key; undefined for a scalar map. */
  key(i: number): Value | undefined;
  /** Entry i's value, merged across CPUs. */
  value(i: number): AggregateValue;
  /** Entry i as a MapEntry. */
  entry(i: number): MapEntry;
  /**
   * Optional shortcut, with nothing allocated: entry i's key as a number when
   * it is an integer a double holds exactly (enums too: their number); else undefined.
   */
  keyAsNumber?(i: number): number | undefined;
  /** Optional shortcut: entry i's count, sum or integer value as a number when a double holds it exactly; else undefined. */
  valueAsNumber?(i: number): number | undefined;
}

/** A little-endian integer as a number, or undefined when a double cannot hold it exactly. */
function intAsNumber(view: DataView, offset: number, size: number, signed: boolean): number | undefined {
  switch (size) {
    case 1:
      return signed ? view.getInt8(offset) : view.getUint8(offset);
    case 2:
      return signed ? view.getInt16(offset, true) : view.getUint16(offset, true);
    case 4:
      return signed ? view.getInt32(offset, true) : view.getUint32(offset, true);
    default: {
      // Two halves, no BigInt: exact up to 2^53, which isSafeInteger checks.
      const high = signed ? view.getInt32(offset + 4, true) : view.getUint32(offset + 4, true);
      const n = high * 2 ** 32 + view.getUint32(offset, true);
      return Number.isSafeInteger(n) ? n : undefined;
    }
  }
}

/** Whether a map has one kernel entry per printed entry (hist, lhist and tseries group several). */
export function hasEntryPerKey(map: MapInfo): boolean {
  const kind = map.value.kind;
  return kind !== 'hist' && kind !== 'lhist' && kind !== 'tseries';
}

/** A MapEntriesView over a packed read of a map with one kernel entry per printed entry. */
export class PackedMapView implements MapEntriesView {
  readonly size: number;
  readonly #keys: DataView;
  readonly #values: DataView;
  /** Buffer positions of the present entries; undefined when every entry is present. */
  readonly #slots: Uint32Array | undefined;

  constructor(
    readonly info: MapInfo,
    private readonly packed: PackedMapEntries,
    private readonly opts: DecodeOptions = {},
  ) {
    if (!hasEntryPerKey(info)) throw new RangeError(`map ${info.name}: ${info.value.kind} maps group several entries per key`);
    this.#keys = new DataView(packed.keys.buffer, packed.keys.byteOffset, packed.keys.byteLength);
    this.#values = new DataView(packed.values.buffer, packed.values.byteOffset, packed.values.byteLength);
    this.#slots = this.presentSlots();
    this.size = this.#slots ? this.#slots.length : packed.count;
  }

  /**
   * A count() in a per-CPU array slot (codegen's counter arrays): the slot
   * always exists, and a zero count is a key never counted, as in a hash
   * without it. Undefined when nothing is left out.
   */
  private presentSlots(): Uint32Array | undefined {
    const { info, packed } = this;
    if (info.value.kind !== 'count' || !isArrayMap(info)) return undefined;
    const slots = new Uint32Array(packed.count);
    let n = 0;
    for (let i = 0; i < packed.count; i++) {
      const v = this.valueAtSlot(i);
      if (v.kind !== 'int' || v.value !== 0n) slots[n++] = i;
    }
    return slots.subarray(0, n);
  }

  private slot(i: number): number {
    if (i < 0 || i >= this.size) throw new RangeError(`map ${this.info.name}: no entry ${i} of ${this.size}`);
    return this.#slots ? this.#slots[i]! : i;
  }

  private valueAtSlot(slot: number): AggregateValue {
    const bytes = this.packed.valueBytes;
    return mergeAggregateAt(this.info.value, this.#values, slot * bytes, bytes, this.opts);
  }

  key(i: number): Value | undefined {
    const keyType = this.info.keyType;
    return keyType ? decodeValue(this.#keys, this.slot(i) * this.packed.keySize, keyType, this.opts) : undefined;
  }

  value(i: number): AggregateValue {
    return this.valueAtSlot(this.slot(i));
  }

  entry(i: number): MapEntry {
    return { key: this.key(i), value: this.value(i) };
  }

  keyAsNumber(i: number): number | undefined {
    const keyType = this.info.keyType;
    if (keyType?.kind !== 'int') return undefined;
    return intAsNumber(this.#keys, this.slot(i) * this.packed.keySize, keyType.size, keyType.signed);
  }

  valueAsNumber(i: number): number | undefined {
    const kind = this.info.value;
    const bytes = this.packed.valueBytes;
    const offset = this.slot(i) * bytes;
    if (kind.kind === 'plain') return kind.type.kind === 'int' ? intAsNumber(this.#values, offset, kind.type.size, kind.type.signed) : undefined;
    if (kind.kind !== 'count' && kind.kind !== 'sum') return undefined;
    // Every CPU's 8-byte copy (8 is its own per-CPU stride); a total a double holds exactly never wrapped.
    const signed = kind.kind === 'sum' && kind.signed;
    let total = 0;
    for (let o = offset; o + 8 <= offset + bytes; o += 8) {
      const part = intAsNumber(this.#values, o, 8, signed);
      if (part === undefined) return undefined;
      total += part;
      if (!Number.isSafeInteger(total)) return undefined;
    }
    return total;
  }

  /** Every entry decoded, in buffer order. */
  entries(): MapEntry[] {
    const out = new Array<MapEntry>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.entry(i);
    return out;
  }
}
