// A read position in a DWARF section: fixed-size little-endian integers,
// LEB128, C strings, and the 4- or 8-byte offsets of 32- and 64-bit DWARF.
// Every read is bounds-checked: a malformed file gives a DwarfError naming
// the section and offset, never a read past the buffer.

export class DwarfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

export class Cursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    /** The section's name, for messages. */
    readonly section: string,
  ) {}

  get atEnd(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at < 0 || at + n > this.buf.length) throw new DwarfError(`${this.section}: read of ${n} bytes at offset ${at} runs past the end (${this.buf.length})`);
    this.pos += n;
    return at;
  }

  u8(): number {
    return this.buf[this.need(1)]!;
  }

  i8(): number {
    return this.buf.readInt8(this.need(1));
  }

  u16(): number {
    return this.buf.readUInt16LE(this.need(2));
  }

  u24(): number {
    const at = this.need(3);
    return this.buf[at]! | (this.buf[at + 1]! << 8) | (this.buf[at + 2]! << 16);
  }

  u32(): number {
    return this.buf.readUInt32LE(this.need(4));
  }

  u64(): bigint {
    return this.buf.readBigUInt64LE(this.need(8));
  }

  /** A u64 as a number (offsets and sizes: exact below 2^53). */
  u64n(): number {
    return Number(this.u64());
  }

  /** An unsigned integer of `size` bytes (1, 2, 4 or 8). */
  uint(size: number): bigint {
    switch (size) {
      case 1:
        return BigInt(this.u8());
      case 2:
        return BigInt(this.u16());
      case 4:
        return BigInt(this.u32());
      case 8:
        return this.u64();
      default:
        throw new DwarfError(`${this.section}: unsupported integer size ${size} at offset ${this.pos}`);
    }
  }

  /** An offset of 32-bit (4 bytes) or 64-bit (8 bytes) DWARF. */
  offset(size: 4 | 8): number {
    return size === 4 ? this.u32() : this.u64n();
  }

  uleb(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.u8();
      if (shift < 53) result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** An unsigned LEB128 that may exceed 2^53 (constant values). */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result;
    }
  }

  sleb(): number {
    return Number(this.slebBig());
  }

  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  /** A NUL-terminated string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new DwarfError(`${this.section}: unterminated string at offset ${this.pos}`);
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  bytes(n: number): Buffer {
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  skip(n: number): void {
    this.need(n);
  }

  /**
   * A unit's initial length: the 4-byte length, or 0xffffffff and an 8-byte
   * one (64-bit DWARF). Returns the length and the offset size it implies.
   */
  initialLength(): { length: number; offsetSize: 4 | 8 } {
    const l = this.u32();
    if (l === 0xffffffff) return { length: this.u64n(), offsetSize: 8 };
    if (l >= 0xfffffff0) throw new DwarfError(`${this.section}: reserved unit length 0x${l.toString(16)} at offset ${this.pos - 4}`);
    return { length: l, offsetSize: 4 };
  }
}

/** A NUL-terminated string at `offset` of a string section. */
export function stringAt(buf: Buffer | undefined, offset: number, section: string): string {
  if (!buf || offset < 0 || offset >= buf.length) throw new DwarfError(`${section}: string offset ${offset} out of range`);
  const end = buf.indexOf(0, offset);
  return buf.toString('utf8', offset, end < 0 ? buf.length : end);
}
