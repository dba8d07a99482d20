// A hash table from type name to type ids, built lazily on the first look-up by
// name: typed arrays only, no string per type, so building it over vmlinux's
// ~125k types costs a few milliseconds and a look-up allocates nothing.

export interface NameSource {
  /** The raw BTF bytes. */
  readonly bytes: Uint8Array;
  /** Number of own types (ids startId .. startId + count - 1). */
  readonly count: number;
  /** Absolute byte offset of an own type's name, or -1 when anonymous or in the base BTF. */
  nameByteOffset(index: number): number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class NameIndex {
  private readonly slots: Int32Array; // own type index + 1; 0 = empty
  private readonly hashes: Uint32Array; // full hash per slot, checked before bytes
  private readonly mask: number;

  constructor(private readonly src: NameSource) {
    let size = 1024;
    while (size < src.count * 2) size <<= 1;
    this.slots = new Int32Array(size);
    this.hashes = new Uint32Array(size);
    this.mask = size - 1;
    const bytes = src.bytes;
    for (let i = 0; i < src.count; i++) {
      let p = src.nameByteOffset(i);
      if (p < 0) continue;
      let h = FNV_OFFSET;
      for (let c = bytes[p]!; c !== 0; c = bytes[++p]!) h = Math.imul(h ^ c, FNV_PRIME);
      h >>>= 0;
      let s = h & this.mask;
      while (this.slots[s] !== 0) s = (s + 1) & this.mask;
      this.slots[s] = i + 1;
      this.hashes[s] = h;
    }
  }

  /** Own type indexes whose name is `name`, in id order. */
  lookup(name: string): number[] {
    const key = Buffer.from(name, 'latin1');
    let h = FNV_OFFSET;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, FNV_PRIME);
    h >>>= 0;
    const out: number[] = [];
    const bytes = this.src.bytes;
    for (let s = h & this.mask; this.slots[s] !== 0; s = (s + 1) & this.mask) {
      if (this.hashes[s] !== h) continue;
      const index = this.slots[s]! - 1;
      const p = this.src.nameByteOffset(index);
      let k = 0;
      while (k < key.length && bytes[p + k] === key[k]) k++;
      if (k === key.length && bytes[p + k] === 0) out.push(index);
    }
    return out.sort((a, b) => a - b);
  }
}
