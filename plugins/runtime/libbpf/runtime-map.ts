// The SDK's RuntimeMap over a BpfMap: the packed entries libbpf's batch reads
// give become one key/value pair per entry.
import type { RuntimeMap } from '../../../sdk/index.ts';
import type { BpfMap } from './map.ts';
import { numPossibleCpus } from './perf.ts';

export class LibbpfMap implements RuntimeMap {
  constructor(readonly map: BpfMap) {}

  get name(): string {
    return this.map.name;
  }

  get keySize(): number {
    return this.map.keySize;
  }

  get valueSize(): number {
    return this.map.valueSize;
  }

  get valueStride(): number {
    return this.map.isPerCpu ? (this.map.valueSize + 7) & ~7 : this.map.valueSize;
  }

  get copies(): number {
    return this.map.isPerCpu ? numPossibleCpus() : 1;
  }

  lookup(key: Uint8Array): Uint8Array | undefined {
    return this.map.lookup(key);
  }

  update(key: Uint8Array, value: Uint8Array): void {
    this.map.update(key, value);
  }

  delete(key: Uint8Array): boolean {
    return this.map.delete(key);
  }

  entries(): { key: Uint8Array; value: Uint8Array }[] {
    const { keys, values, count } = this.map.entries();
    // BpfMap's valueStride is the whole value: every CPU's copy.
    const ks = this.map.keySize;
    const vs = this.map.valueStride;
    const out: { key: Uint8Array; value: Uint8Array }[] = [];
    for (let i = 0; i < count; i++) out.push({ key: keys.subarray(i * ks, (i + 1) * ks), value: values.subarray(i * vs, (i + 1) * vs) });
    return out;
  }

  packedEntries(): { keys: Uint8Array; values: Uint8Array; count: number; keySize: number; valueBytes: number } {
    const { keys, values, count } = this.map.entries();
    return { keys, values, count, keySize: this.map.keySize, valueBytes: this.map.valueStride };
  }

  clear(): void {
    this.map.clear();
  }

  zero(): void {
    this.map.zero();
  }
}
