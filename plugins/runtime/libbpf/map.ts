// BpfMap: a map of a BpfObject, read and written as raw bytes.

import { BpfError } from './errors.ts';
import { bpf, isNull, lastErrno, nativeView, type Ptr } from './native.ts';
import { numPossibleCpus } from './perf.ts';

/** BPF map types (enum bpf_map_type), by the name the kernel uses without the prefix. */
export const BpfMapType = {
  unspec: 0, hash: 1, array: 2, prog_array: 3, perf_event_array: 4, percpu_hash: 5, percpu_array: 6,
  stack_trace: 7, cgroup_array: 8, lru_hash: 9, lru_percpu_hash: 10, lpm_trie: 11, array_of_maps: 12,
  hash_of_maps: 13, devmap: 14, sockmap: 15, cpumap: 16, xskmap: 17, sockhash: 18, cgroup_storage: 19,
  reuseport_sockarray: 20, percpu_cgroup_storage: 21, queue: 22, stack: 23, sk_storage: 24,
  devmap_hash: 25, struct_ops: 26, ringbuf: 27, inode_storage: 28, task_storage: 29, bloom_filter: 30,
  user_ringbuf: 31, cgrp_storage: 32,
} as const;

const MAP_TYPE_NAMES = new Map<number, string>(Object.entries(BpfMapType).map(([k, v]) => [v, k]));

const PER_CPU_TYPES = new Set<number>([
  BpfMapType.percpu_hash, BpfMapType.percpu_array, BpfMapType.lru_percpu_hash, BpfMapType.percpu_cgroup_storage,
]);
const ARRAY_TYPES = new Set<number>([BpfMapType.array, BpfMapType.percpu_array]);

/** Flags of `update` (BPF_ANY, BPF_NOEXIST, BPF_EXIST). */
export const MapUpdate = { ANY: 0, NOEXIST: 1, EXIST: 2 } as const;

const ENOENT = 2;
const EINVAL = 22;
const ENOSPC = 28;
const EOPNOTSUPP = 95;
const ENOTSUPP = 524;

/** What a BpfMap needs from the object that owns it. */
export interface MapOwner {
  readonly loaded: boolean;
  /** Throws if the object is closed (its pointers are freed). */
  assertOpen(what: string): void;
}

/** All entries of a map, packed: key i is `keys[i*keySize..]`, value i is `values[i*valueStride..]`. */
export interface MapEntries {
  keys: Buffer;
  values: Buffer;
  count: number;
}

export interface EntriesOptions {
  /** Entries asked per bpf_map_lookup_batch call; default min(maxEntries, 4096). */
  batchSize?: number;
  /** Force a method: 'batch' (no fallback) or 'iterate' (get_next_key + lookup). Default 'auto'. */
  method?: 'auto' | 'batch' | 'iterate';
}

const roundUp8 = (n: number) => (n + 7) & ~7;

export class BpfMap {
  /** Map name (the C symbol; `.rodata`, `.bss`... for internal maps). */
  readonly name: string;
  /** enum bpf_map_type */
  readonly type: number;
  readonly keySize: number;
  /** Value size of one entry (per CPU, for per-CPU maps). */
  readonly valueSize: number;

  /** @internal */
  constructor(
    private readonly ptr: Ptr,
    private readonly owner: MapOwner,
  ) {
    this.name = bpf('bpf_map__name')(ptr);
    this.type = bpf('bpf_map__type')(ptr);
    this.keySize = bpf('bpf_map__key_size')(ptr);
    this.valueSize = bpf('bpf_map__value_size')(ptr);
  }

  /** `hash`, `percpu_array`, `ringbuf`... */
  get typeName(): string {
    return MAP_TYPE_NAMES.get(this.type) ?? `type${this.type}`;
  }

  get isPerCpu(): boolean {
    return PER_CPU_TYPES.has(this.type);
  }

  /** Bytes of one value as lookups return it: `round_up(valueSize, 8) * numPossibleCpus()` for per-CPU maps. */
  get valueStride(): number {
    return this.isPerCpu ? roundUp8(this.valueSize) * numPossibleCpus() : this.valueSize;
  }

  get maxEntries(): number {
    this.owner.assertOpen(`map '${this.name}'`);
    return bpf('bpf_map__max_entries')(this.ptr);
  }

  /** The map's file descriptor; -1 before the object is loaded. */
  get fd(): number {
    this.owner.assertOpen(`map '${this.name}'`);
    const fd: number = bpf('bpf_map__fd')(this.ptr);
    return fd < 0 ? -1 : fd;
  }

  /** Sets max_entries (before load; for a ring buffer, its data size: a power-of-2 multiple of the page size). */
  setMaxEntries(n: number): void {
    this.assertNotLoaded('setMaxEntries');
    const r: number = bpf('bpf_map__set_max_entries')(this.ptr, n);
    if (r < 0) throw new BpfError(`cannot set max_entries of map '${this.name}' to ${n}`, { op: 'bpf_map__set_max_entries', errno: -r });
  }

  /** A copy of the map's initial value (`.rodata`, `.data`, `.bss`: the section's bytes). */
  initialValue(): Buffer {
    const { ptr, size } = this.initialValuePtr();
    return Buffer.from(new Uint8Array(nativeView(ptr, size)));
  }

  /**
   * Writes `bytes` into the map's initial value at `offset`, before load. This is
   * how the `const volatile` settings in `.rodata` get their run-time values.
   */
  setInitialValue(bytes: Uint8Array, offset = 0): void {
    this.assertNotLoaded('setInitialValue');
    const { ptr, size } = this.initialValuePtr();
    if (!Number.isInteger(offset) || offset < 0 || offset + bytes.length > size) {
      throw new RangeError(`map '${this.name}': ${bytes.length} bytes at offset ${offset} do not fit its ${size}-byte initial value`);
    }
    new Uint8Array(nativeView(ptr, size)).set(bytes, offset);
  }

  private initialValuePtr(): { ptr: Ptr; size: number } {
    this.owner.assertOpen(`map '${this.name}'`);
    const sizeOut = Buffer.alloc(8);
    const p = bpf('bpf_map__initial_value')(this.ptr, sizeOut);
    const size = Number(sizeOut.readBigUInt64LE(0));
    if (isNull(p) || size === 0) {
      throw new BpfError(`map '${this.name}' has no initial value (only .data/.rodata/.bss and mmapable arrays do)`, {
        op: 'bpf_map__initial_value',
        errno: EINVAL,
      });
    }
    return { ptr: p as Ptr, size };
  }

  /** The value stored under `key`, or undefined if there is none. Per-CPU maps return one slot per possible CPU. */
  lookup(key: Uint8Array): Buffer | undefined {
    const fd = this.loadedFd('lookup');
    this.checkKey(key);
    const value = Buffer.alloc(this.valueStride);
    const r: number = bpf('bpf_map_lookup_elem')(fd, key, value);
    if (r < 0) {
      const errno = lastErrno() || -r;
      if (errno === ENOENT) return undefined;
      throw new BpfError(`lookup in map '${this.name}'`, { op: 'bpf_map_lookup_elem', errno });
    }
    return value;
  }

  /** Stores `value` (valueStride bytes) under `key`; flags: MapUpdate.ANY/NOEXIST/EXIST. */
  update(key: Uint8Array, value: Uint8Array, flags: number = MapUpdate.ANY): void {
    const fd = this.loadedFd('update');
    this.checkKey(key);
    this.checkValue(value);
    const r: number = bpf('bpf_map_update_elem')(fd, key, value, flags);
    if (r < 0) throw new BpfError(`update of map '${this.name}'`, { op: 'bpf_map_update_elem', errno: lastErrno() || -r });
  }

  /** Deletes `key`; false if it was not there. */
  delete(key: Uint8Array): boolean {
    const fd = this.loadedFd('delete');
    this.checkKey(key);
    const r: number = bpf('bpf_map_delete_elem')(fd, key);
    if (r < 0) {
      const errno = lastErrno() || -r;
      if (errno === ENOENT) return false;
      throw new BpfError(`delete from map '${this.name}'`, { op: 'bpf_map_delete_elem', errno });
    }
    return true;
  }

  /**
   * Every entry, read with bpf_map_lookup_batch in chunks (get_next_key + lookup
   * when the kernel has no batch op for the map type). Values are valueStride bytes.
   */
  entries(options: EntriesOptions = {}): MapEntries {
    const fd = this.loadedFd('entries');
    const method = options.method ?? 'auto';
    if (method !== 'iterate') {
      const batched = this.entriesBatch(fd, options.batchSize, method === 'batch');
      if (batched) return batched;
    }
    return this.entriesIterate(fd);
  }

  /** Number of entries (reads them all). */
  count(): number {
    return this.entries().count;
  }

  private entriesBatch(fd: number, batchSize: number | undefined, strict: boolean): MapEntries | undefined {
    const ks = this.keySize;
    const vs = this.valueStride;
    let capacity = Math.max(1, this.maxEntries);
    let keys = Buffer.alloc(capacity * ks);
    let values = Buffer.alloc(capacity * vs);
    // The batch token is a u32 bucket for hash maps and a key for arrays.
    let inBatch = Buffer.alloc(Math.max(ks, 8));
    let outBatch = Buffer.alloc(Math.max(ks, 8));
    const countBuf = Buffer.alloc(4);
    let chunk = Math.max(1, Math.min(batchSize ?? 4096, capacity));
    let n = 0;
    let first = true;
    const lookupBatch = bpf('bpf_map_lookup_batch');
    for (;;) {
      if (n === capacity) {
        // More entries than max_entries can happen for maps updated while read; grow.
        capacity *= 2;
        keys = Buffer.concat([keys, Buffer.alloc(keys.length)]);
        values = Buffer.concat([values, Buffer.alloc(values.length)]);
      }
      const ask = Math.min(chunk, capacity - n);
      countBuf.writeUInt32LE(ask, 0);
      const r: number = lookupBatch(fd, first ? null : inBatch, outBatch, keys.subarray(n * ks), values.subarray(n * vs), countBuf, null);
      const errno = r < 0 ? lastErrno() || -r : 0;
      const got = countBuf.readUInt32LE(0);
      n += got;
      if (r < 0) {
        if (errno === ENOENT) break; // done; `got` holds the last entries
        if (errno === ENOSPC && got === 0) {
          // A hash bucket holds more entries than we asked for: ask for more.
          if (ask === capacity - n) {
            capacity *= 2;
            keys = Buffer.concat([keys, Buffer.alloc(keys.length)]);
            values = Buffer.concat([values, Buffer.alloc(values.length)]);
          }
          chunk *= 2;
          continue;
        }
        if (!strict && first && (errno === EINVAL || errno === EOPNOTSUPP || errno === ENOTSUPP)) return undefined;
        throw new BpfError(`batch lookup of map '${this.name}'`, { op: 'bpf_map_lookup_batch', errno });
      }
      first = false;
      [inBatch, outBatch] = [outBatch, inBatch];
    }
    return { keys: keys.subarray(0, n * ks), values: values.subarray(0, n * vs), count: n };
  }

  private entriesIterate(fd: number): MapEntries {
    const ks = this.keySize;
    const vs = this.valueStride;
    const getNext = bpf('bpf_map_get_next_key');
    const lookup = bpf('bpf_map_lookup_elem');
    const keyList: Buffer[] = [];
    const valueList: Buffer[] = [];
    let prev: Buffer | null = null;
    const limit = Math.max(1, this.maxEntries) * 2; // guards against restarts when keys vanish while we walk
    for (let i = 0; i < limit; i++) {
      const next = Buffer.alloc(ks);
      const r: number = getNext(fd, prev, next);
      if (r < 0) {
        const errno = lastErrno() || -r;
        if (errno === ENOENT) break;
        throw new BpfError(`iteration of map '${this.name}'`, { op: 'bpf_map_get_next_key', errno });
      }
      const value = Buffer.alloc(vs);
      const lr: number = lookup(fd, next, value);
      if (lr < 0) {
        const errno = lastErrno() || -lr;
        if (errno !== ENOENT) throw new BpfError(`lookup in map '${this.name}'`, { op: 'bpf_map_lookup_elem', errno });
      } else {
        keyList.push(next);
        valueList.push(value);
      }
      prev = next;
    }
    return { keys: Buffer.concat(keyList), values: Buffer.concat(valueList), count: keyList.length };
  }

  /** Deletes every entry (for arrays, whose entries cannot be deleted: zeroes them). */
  clear(): void {
    if (ARRAY_TYPES.has(this.type)) return this.zero();
    const fd = this.loadedFd('clear');
    const { keys, count } = this.entries();
    if (count === 0) return;
    const ks = this.keySize;
    let done = 0;
    try {
      const countBuf = Buffer.alloc(4);
      const deleteBatch = bpf('bpf_map_delete_batch');
      while (done < count) {
        countBuf.writeUInt32LE(count - done, 0);
        const r: number = deleteBatch(fd, keys.subarray(done * ks), countBuf, null);
        const errno = r < 0 ? lastErrno() || -r : 0;
        done += countBuf.readUInt32LE(0);
        if (r < 0) {
          // A key deleted meanwhile stops the batch at ENOENT: skip it and go on.
          if (errno === ENOENT) { done++; continue; }
          throw new BpfError(`batch delete`, { op: 'bpf_map_delete_batch', errno });
        }
      }
    } catch (e) {
      if (!(e instanceof BpfError) || !(e.errno === EINVAL || e.errno === EOPNOTSUPP || e.errno === ENOTSUPP)) throw e;
      for (let i = done; i < count; i++) this.delete(keys.subarray(i * ks, (i + 1) * ks));
    }
  }

  /** Sets every value to zero, keeping the keys. */
  zero(): void {
    const fd = this.loadedFd('zero');
    const { keys, count } = this.entries();
    if (count === 0) return;
    const ks = this.keySize;
    const vs = this.valueStride;
    const zeros = Buffer.alloc(count * vs);
    const countBuf = Buffer.alloc(4);
    countBuf.writeUInt32LE(count, 0);
    const r: number = bpf('bpf_map_update_batch')(fd, keys, zeros, countBuf, null);
    if (r >= 0) return;
    const errno = lastErrno() || -r;
    if (!(errno === EINVAL || errno === EOPNOTSUPP || errno === ENOTSUPP)) {
      throw new BpfError(`batch update of map '${this.name}'`, { op: 'bpf_map_update_batch', errno });
    }
    const zero = Buffer.alloc(vs);
    for (let i = 0; i < count; i++) this.update(keys.subarray(i * ks, (i + 1) * ks), zero, MapUpdate.ANY);
  }

  private loadedFd(what: string): number {
    this.owner.assertOpen(`map '${this.name}'`);
    if (!this.owner.loaded) throw new Error(`map '${this.name}': ${what} needs a loaded object`);
    return bpf('bpf_map__fd')(this.ptr);
  }

  private assertNotLoaded(what: string): void {
    this.owner.assertOpen(`map '${this.name}'`);
    if (this.owner.loaded) throw new Error(`map '${this.name}': ${what} must be called before load()`);
  }

  // Exact sizes matter: the kernel reads keySize bytes and writes valueStride bytes
  // through these pointers, so a short buffer would corrupt memory.
  private checkKey(key: Uint8Array): void {
    if (key.length !== this.keySize) throw new RangeError(`map '${this.name}': key is ${key.length} bytes, expected ${this.keySize}`);
  }

  private checkValue(value: Uint8Array): void {
    if (value.length !== this.valueStride) {
      throw new RangeError(`map '${this.name}': value is ${value.length} bytes, expected ${this.valueStride}`);
    }
  }
}
