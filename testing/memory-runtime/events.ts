// The session's event stream over the memory ring buffer: records are
// delivered on the event loop while started, all at once on flush().
import type { EventStream, RecordHandler } from '../../sdk/index.ts';
import type { MemoryRing } from './object.ts';

/** The records of the memory ring, delivered as the session asks. */
export class MemoryEvents implements EventStream {
  #running = false;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly ring: MemoryRing,
    private readonly onRecord: RecordHandler,
    private readonly onError: ((error: unknown) => void) | undefined,
  ) {
    ring.onPush = () => this.schedule();
  }

  start(): void {
    this.#running = true;
    this.schedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
  }

  flush(): number {
    let n = 0;
    while (this.ring.records.length > 0) {
      const record = this.ring.records.shift()!;
      this.onRecord(new DataView(record.buffer, record.byteOffset, record.byteLength), 0, record.byteLength);
      n++;
    }
    return n;
  }

  close(): void {
    this.stop();
    this.ring.onPush = undefined;
  }

  private schedule(): void {
    if (!this.#running || this.#scheduled) return;
    this.#scheduled = setImmediate(() => {
      this.#scheduled = undefined;
      if (!this.#running) return;
      try {
        this.flush();
      } catch (e) {
        this.stop();
        if (!this.onError) throw e;
        this.onError(e);
      }
    });
  }
}
