// Where program output goes: stdout or `-o FILE`, buffered per `-B`:
//
// * `line` (the default, as bpftrace's): everything written during one turn of
//   the event loop (one ring-buffer pass) is written at once at the end of the
//   turn, which keeps printf-heavy scripts from losing events to slow per-line
//   writes; no output waits longer than that turn.
// * `full`: output is held until 64 KiB are pending (or the program ends), like
//   a fully buffered C stream.
// * `none`: each piece is written at once.
//
// Messages (stderr) are never buffered; in `line` and `none` modes pending
// output is written before them so the two stay in order. close() writes what
// is left, so the output (a file with -o included) is complete however the
// program ends: exit(), Ctrl-C, SIGTERM, -c child exit.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { OutputWriter } from '../sdk/index.ts';
import type { BufferMode } from './args.ts';

export type { BufferMode } from './args.ts';

/** How much `full` mode holds before writing. */
export const FULL_BUFFER_BYTES = 64 * 1024;

export class BufferedWriter implements OutputWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private closed = false;

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
    if (this.mode === 'full') {
      this.pendingBytes += text.length;
      if (this.pendingBytes >= FULL_BUFFER_BYTES) this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  err(text: string): void {
    if (this.mode !== 'full') this.flush();
    process.stderr.write(text);
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    this.write(text);
  }

  /** Writes what is pending and closes the -o file. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
  }

  private write(text: string): void {
    if (this.closed) return;
    const buf = Buffer.from(text);
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A reader that went away (`| head`): the rest has nowhere to go.
        if (code === 'EPIPE') return;
        // A non-blocking pipe that is full: wait for the reader, then go on.
        if (code !== 'EAGAIN') throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  }
}
