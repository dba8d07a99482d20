// .debug_aranges: which unit's code covers an address. GCC emits it; clang
// does not by default (then functions are found by name instead).
import { Cursor } from './cursor.ts';

export interface AddressRange {
  start: bigint;
  end: bigint;
  /** .debug_info offset of the unit's header. */
  unitOffset: number;
}

/** Every range of .debug_aranges, sorted by start address. */
export function readAranges(buf: Buffer): AddressRange[] {
  const out: AddressRange[] = [];
  const c = new Cursor(buf, 0, '.debug_aranges');
  while (c.pos < buf.length) {
    const start = c.pos;
    const { length, offsetSize } = c.initialLength();
    const end = c.pos + length;
    c.u16(); // version 2
    const unitOffset = c.offset(offsetSize);
    const addressSize = c.u8();
    const segmentSize = c.u8();
    // Tuples start at a multiple of twice the address size from the set's start.
    const tuple = 2 * addressSize;
    c.pos = start + Math.ceil((c.pos - start) / tuple) * tuple;
    while (c.pos + tuple + segmentSize <= end) {
      c.skip(segmentSize);
      const address = c.uint(addressSize);
      const size = c.uint(addressSize);
      if (address === 0n && size === 0n) break;
      out.push({ start: address, end: address + size, unitOffset });
    }
    c.pos = end;
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** The range holding `address`, by binary search. */
export function findRange(ranges: readonly AddressRange[], address: bigint): AddressRange | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (address < r.start) hi = mid - 1;
    else if (address >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}
