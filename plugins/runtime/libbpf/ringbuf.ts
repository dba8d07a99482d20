// Reading a BPF ring buffer from JS through its mmap'ed pages: no FFI call per record.
//
// Layout (kernel/bpf/ringbuf.c): page 0 of the map's mmap space holds the consumer
// position (u64, writable by user space); page 1 holds the producer position (u64,
// read-only); the data area (dataSize bytes, a power-of-2 multiple of the page size)
// follows and is mapped twice in a row, so a record that wraps around the end is
// contiguous in memory. Each record: u32 length with BUSY (bit 31, being written)
// and DISCARD (bit 30) flags, u32 page offset (kernel-internal), then the payload;
// records are 8-byte aligned.
//
// Memory ordering: the kernel publishes a record by clearing the BUSY bit with a
// release store, and advances the producer position with a release store. We read
// the producer position and each header with Atomics.load (a plain load plus a
// compiler barrier on x86-64), then the payload. On x86-64 (TSO) loads are not
// reordered with other loads, so this is an acquire. Other architectures need real
// acquire loads: use libbpf's ring_buffer__consume there (not implemented here).

import { BpfError } from './errors.ts';
import { isNull, lastErrno, libc, nativeView, type Ptr } from './native.ts';

const PROT_READ = 1;
const PROT_WRITE = 2;
const MAP_SHARED = 1;
const MAP_FAILED = 0xffffffffffffffffn;

const BUSY_BIT = 0x80000000;
const DISCARD_BIT = 0x40000000;
const LENGTH_MASK = 0x3fffffff;
const HEADER_SIZE = 8;
/** Records handed out between two looks at the clock, with a deadline (a power of 2). */
const DEADLINE_EVERY = 4;

/** Called once per record: the payload is `length` bytes of `view` at `offset`. Valid only during the call. */
export type RecordHandler = (view: DataView, offset: number, length: number) => void;

let cachedPageSize: number | undefined;
/** The system page size (4096 on x86-64). */
export function pageSize(): number {
  if (cachedPageSize === undefined) {
    const n = Number(libc('sysconf')(30 /* _SC_PAGESIZE */));
    cachedPageSize = n > 0 ? n : 4096;
  }
  return cachedPageSize;
}

function mmap(length: number, prot: number, fd: number, offset: number): Ptr {
  const p = libc('mmap')(null, length, prot, MAP_SHARED, fd, offset);
  const errno = lastErrno();
  if (isNull(p) || p === MAP_FAILED) {
    throw new BpfError(`mmap of ring buffer fd ${fd} (${length} bytes at ${offset})`, { op: 'mmap', errno: errno || 22 });
  }
  return p as Ptr;
}

export class RingBufferReader {
  readonly mapFd: number;
  readonly dataSize: number;
  #consumerPage: Ptr | undefined;
  #producerArea: Ptr | undefined;
  readonly #producerLength: number;
  #consumerPos!: BigUint64Array;
  #producerPos!: BigUint64Array;
  /** The data area (twice dataSize); record offsets handed out are relative to it. */
  #view!: DataView;
  #headers!: Uint32Array;
  readonly #mask: number;
  #closed = false;

  /**
   * Maps ring buffer `mapFd` (a BPF_MAP_TYPE_RINGBUF whose max_entries is `dataSize`).
   * The mapping keeps the map alive even if its fd is closed; close() unmaps it.
   */
  constructor(mapFd: number, dataSize: number) {
    if (process.arch !== 'x64') {
      // See the memory-ordering note at the top of this file.
      throw new Error(`RingBufferReader relies on x86-64 memory ordering; not supported on ${process.arch}`);
    }
    const page = pageSize();
    if (!Number.isInteger(dataSize) || dataSize < page || (dataSize & (dataSize - 1)) !== 0 || dataSize > 2 ** 30) {
      throw new RangeError(`ring buffer size ${dataSize} must be a power of 2, at least a page and at most 1 GiB`);
    }
    this.mapFd = mapFd;
    this.dataSize = dataSize;
    this.#mask = dataSize - 1;
    this.#producerLength = page + 2 * dataSize;
    this.#consumerPage = mmap(page, PROT_READ | PROT_WRITE, mapFd, 0);
    try {
      this.#producerArea = mmap(this.#producerLength, PROT_READ, mapFd, page);
    } catch (e) {
      libc('munmap')(this.#consumerPage, page);
      this.#consumerPage = undefined;
      throw e;
    }
    this.#consumerPos = new BigUint64Array(nativeView(this.#consumerPage, page), 0, 1);
    const producer = nativeView(this.#producerArea, this.#producerLength);
    this.#producerPos = new BigUint64Array(producer, 0, 1);
    this.#view = new DataView(producer, page, 2 * dataSize);
    this.#headers = new Uint32Array(producer, page, (2 * dataSize) / 4);
  }

  /** Bytes written by the kernel and not consumed yet (records, headers and discarded ones included). */
  pendingBytes(): number {
    this.assertOpen();
    return Number(Atomics.load(this.#producerPos, 0) - Atomics.load(this.#consumerPos, 0));
  }

  /**
   * Hands every available record (up to `limit`) to `onRecord`, in order, skipping
   * discarded ones, and stops at a record still being written. Returns the number
   * of records handed out. The consumer position is written back at the end of the
   * pass (and every quarter of the ring during a long pass), freeing the space for
   * the kernel. If `onRecord` throws, the records before it and that record count as
   * consumed and the error propagates. With a `deadline` (a performance.now() time),
   * the pass also ends once it is past, checked every few records: a slow handler
   * (system() runs a command per record) then still gives the event loop back soon.
   */
  drain(onRecord: RecordHandler, limit = Number.POSITIVE_INFINITY, deadline = Number.POSITIVE_INFINITY): number {
    this.assertOpen();
    const headers = this.#headers;
    const view = this.#view;
    const mask = this.#mask;
    const publishEvery = this.dataSize >>> 2;
    // Positions as doubles: exact up to 2^53 bytes consumed, i.e. for ever.
    let cons = Number(Atomics.load(this.#consumerPos, 0));
    const prod = Number(Atomics.load(this.#producerPos, 0));
    let off = cons % this.dataSize;
    let published = cons;
    let n = 0;
    try {
      while (cons < prod && n < limit) {
        const header = Atomics.load(headers, off >>> 2);
        if (header & BUSY_BIT) break;
        const length = header & LENGTH_MASK;
        const step = (HEADER_SIZE + length + 7) & ~7;
        const payload = off + HEADER_SIZE;
        cons += step;
        off = (off + step) & mask;
        if ((header & DISCARD_BIT) === 0) {
          n++;
          onRecord(view, payload, length);
          if ((n & (DEADLINE_EVERY - 1)) === 0 && performance.now() >= deadline) break;
        }
        if (cons - published >= publishEvery) {
          Atomics.store(this.#consumerPos, 0, BigInt(cons));
          published = cons;
        }
      }
    } finally {
      if (cons !== published && !this.#closed) Atomics.store(this.#consumerPos, 0, BigInt(cons));
    }
    return n;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Unmaps the ring; views handed out before must not be used after. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    // Drop the views first: touching unmapped memory would crash the process.
    this.#consumerPos = new BigUint64Array(1);
    this.#producerPos = new BigUint64Array(1);
    this.#view = new DataView(new ArrayBuffer(0));
    this.#headers = new Uint32Array(0);
    if (this.#producerArea !== undefined) libc('munmap')(this.#producerArea, this.#producerLength);
    if (this.#consumerPage !== undefined) libc('munmap')(this.#consumerPage, pageSize());
    this.#producerArea = undefined;
    this.#consumerPage = undefined;
  }

  private assertOpen(): void {
    if (this.#closed) throw new Error(`ring buffer reader (fd ${this.mapFd}) is closed`);
  }
}

export interface EventPumpOptions {
  /** Pause between passes when the ring was drained empty, in ms. Default 10. */
  intervalMs?: number;
  /** Time budget of one pass, in ms: the event loop is given back after it. Default 4. */
  maxPassMs?: number;
  /** Records drained between two clock reads. Default 4096. */
  chunk?: number;
  /** Called when onRecord throws; the pump is stopped first. Default: rethrow (uncaught). */
  onError?: (error: unknown) => void;
  /** Whether the pump's timer keeps the process alive. Default true. */
  ref?: boolean;
}

/**
 * Drains ring buffers on a timer without holding the event loop: each pass drains
 * for at most maxPassMs; if records remain, the next pass runs on setImmediate,
 * otherwise after intervalMs. flush() drains everything synchronously (at exit).
 */
export class EventPump {
  readonly #readers: RingBufferReader[];
  readonly #onRecord: RecordHandler;
  readonly #intervalMs: number;
  readonly #maxPassMs: number;
  readonly #chunk: number;
  readonly #onError: (error: unknown) => void;
  readonly #ref: boolean;
  #timer: { timeout?: NodeJS.Timeout; immediate?: NodeJS.Immediate } | undefined;
  #running = false;
  /** Records handed out so far. */
  records = 0;
  /** Passes run so far. */
  passes = 0;
  /** Longest pass, in ms. */
  longestPassMs = 0;

  constructor(readers: RingBufferReader | RingBufferReader[], onRecord: RecordHandler, options: EventPumpOptions = {}) {
    this.#readers = Array.isArray(readers) ? readers : [readers];
    this.#onRecord = onRecord;
    this.#intervalMs = options.intervalMs ?? 10;
    this.#maxPassMs = options.maxPassMs ?? 4;
    this.#chunk = options.chunk ?? 4096;
    this.#onError =
      options.onError ??
      ((e) => {
        throw e;
      });
    this.#ref = options.ref ?? true;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.schedule(0);
  }

  stop(): void {
    this.#running = false;
    this.clearTimer();
  }

  /** Drains every reader until empty, synchronously; returns the records handed out. */
  flush(): number {
    let total = 0;
    for (const r of this.#readers) {
      if (r.closed) continue;
      for (;;) {
        const n = r.drain(this.#onRecord, this.#chunk);
        total += n;
        if (n < this.#chunk) break;
      }
    }
    this.records += total;
    return total;
  }

  /** One pass: drains within the time budget; returns whether records are left. */
  pass(): boolean {
    const start = performance.now();
    const deadline = start + this.#maxPassMs;
    let more = false;
    this.passes++;
    for (const r of this.#readers) {
      if (r.closed) continue;
      for (;;) {
        const n = r.drain(this.#onRecord, this.#chunk, deadline);
        this.records += n;
        if (performance.now() >= deadline) {
          // Out of time, maybe in the middle of the ring: whatever is left waits for the next pass.
          more ||= r.pendingBytes() > 0;
          break;
        }
        if (n < this.#chunk) break;
      }
    }
    const took = performance.now() - start;
    if (took > this.longestPassMs) this.longestPassMs = took;
    return more;
  }

  private schedule(delayMs: number): void {
    const tick = () => {
      this.#timer = undefined;
      if (!this.#running) return;
      let more: boolean;
      try {
        more = this.pass();
      } catch (e) {
        this.stop();
        this.#onError(e);
        return;
      }
      if (this.#running) this.schedule(more ? 0 : this.#intervalMs);
    };
    if (delayMs === 0) {
      const t = setImmediate(tick);
      if (!this.#ref) t.unref();
      this.#timer = { immediate: t };
    } else {
      const t = setTimeout(tick, delayMs);
      if (!this.#ref) t.unref();
      this.#timer = { timeout: t };
    }
  }

  private clearTimer(): void {
    const t = this.#timer;
    if (t === undefined) return;
    this.#timer = undefined;
    if (t.timeout) clearTimeout(t.timeout);
    if (t.immediate) clearImmediate(t.immediate);
  }
}
