// The verifier's log buffers of an object's programs, of the size the
// `log_size` setting (BPFTRACE_LOG_SIZE) asks for, as upstream: each program
// loads with its own buffer, so a log that does not fit fails the load with
// ENOSPC instead of libbpf growing its buffer, and the logs are read back here.
import { libc, nativeView, isNull, type Ptr } from './native.ts';
import type { BpfProgram } from './program.ts';

export class LogBuffers {
  readonly #buffers = new Map<string, Ptr>();

  constructor(
    programs: readonly BpfProgram[],
    readonly size: number,
  ) {
    try {
      for (const p of programs) {
        const buf = libc('malloc')(size) as Ptr | null;
        if (isNull(buf)) throw new Error(`out of memory for a verifier log of ${size} bytes`);
        this.#buffers.set(p.name, buf!);
        new Uint8Array(nativeView(buf!, 1))[0] = 0;
        p.setLogBuffer(buf!, size);
      }
    } catch (e) {
      this.free();
      throw e;
    }
  }

  /** The log the verifier wrote for a program ('' when none). */
  read(program: string): string {
    const buf = this.#buffers.get(program);
    if (buf === undefined) return '';
    const bytes = new Uint8Array(nativeView(buf, this.size));
    const end = bytes.indexOf(0);
    return Buffer.from(bytes.subarray(0, end < 0 ? this.size : end)).toString('utf8');
  }

  /** Releases the buffers (after load: libbpf keeps no pointer to them past it). */
  free(): void {
    for (const buf of this.#buffers.values()) libc('free')(buf);
    this.#buffers.clear();
  }
}
