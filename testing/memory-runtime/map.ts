// A map held in memory, as the kernel hands maps out: raw key and value
// bytes, per-CPU values with one copy per CPU, array maps with every key.
import type { RuntimeMap } from '../../sdk/index.ts';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A map held in memory; per-CPU values hold `copies` copies, as the kernel hands them out. */
export class MemoryMap implements RuntimeMap {
  readonly #entries = new Map<string, { key: Uint8Array; value: Uint8Array }>();
  readonly valueStride: number;

  constructor(
    readonly name: string,
    readonly keySize: number,
    readonly valueSize: number,
    readonly copies: number,
    /** Array maps answer every key with a value (zeros until written). */
    private readonly isArray = false,
  ) {
    this.valueStride = copies > 1 ? (valueSize + 7) & ~7 : valueSize;
  }

  lookup(key: Uint8Array): Uint8Array | undefined {
    this.checkKey(key);
    const e = this.#entries.get(hex(key));
    if (e) return Buffer.from(e.value);
    return this.isArray ? Buffer.alloc(this.copies * this.valueStride) : undefined;
  }

  update(key: Uint8Array, value: Uint8Array): void {
    this.checkKey(key);
    if (value.byteLength !== this.copies * this.valueStride) throw new RangeError(`map '${this.name}': value is ${value.byteLength} bytes`);
    this.#entries.set(hex(key), { key: Buffer.from(key), value: Buffer.from(value) });
  }

  delete(key: Uint8Array): boolean {
    return this.#entries.delete(hex(key));
  }

  entries(): { key: Uint8Array; value: Uint8Array }[] {
    return [...this.#entries.values()].map((e) => ({ key: Buffer.from(e.key), value: Buffer.from(e.value) }));
  }

  clear(): void {
    if (this.isArray) return this.zero();
    this.#entries.clear();
  }

  zero(): void {
    for (const e of this.#entries.values()) e.value.fill(0);
  }

  /** Adds to the u64 at `offset` of one CPU's copy of the value under `key` (count(), sum(), histogram buckets). */
  addU64(key: Uint8Array, amount: bigint, cpu = 0, offset = 0): void {
    const value = this.lookup(key) ?? Buffer.alloc(this.copies * this.valueStride);
    const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
    const at = cpu * this.valueStride + offset;
    view.setBigUint64(at, view.getBigUint64(at, true) + amount, true);
    this.update(key, value);
  }

  private checkKey(key: Uint8Array): void {
    if (key.byteLength !== this.keySize) throw new RangeError(`map '${this.name}': key is ${key.byteLength} bytes, expected ${this.keySize}`);
  }
}
