// Where program output goes: stdout or `-o FILE`, buffered per `-B`.
// `full`/`line` (the defaults) gather everything written during one turn of
// the event loop (one ring-buffer pass) and write it at once, which is what
// keeps printf-heavy scripts from losing events to slow per-line writes;
// `none` writes each piece at once. Messages (stderr) are never buffered, and
// pending output is written before them so the two stay in order.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { OutputWriter } from '../../sdk/index.ts';

export type BufferMode = 'none' | 'line' | 'full';

export class BufferedWriter implements OutputWriter {
  private pending: string[] = [];
  private scheduled = false;
  private readonly fd: number;
  private readonly ownsFd: boolean;

  constructor(private readonly mode: BufferMode, file?: string) {
    this.fd = file ? openSync(file, 'w') : 1;
    this.ownsFd = file !== undefined;
  }

  out(text: string): void {
    if (this.mode === 'none') {
      this.write(text);
      return;
    }
    this.pending.push(text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  err(text: string): void {
    this.flush();
    process.stderr.write(text);
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.write(text);
  }

  close(): void {
    this.flush();
    if (this.ownsFd) closeSync(this.fd);
  }

  private write(text: string): void {
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        // A non-blocking pipe that is full: wait for the reader, then go on.
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}
