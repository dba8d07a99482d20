// A link the runtime made with the bpf() syscall itself (a uprobe_multi link,
// which libbpf 1.1 cannot make): only its file descriptor, closed to detach.
import { callAsync } from './async-calls.ts';
import { libc } from './native.ts';
import type { Link, ProgramOwner } from './program.ts';

export class BpfFdLink implements Link {
  #fd: number;
  /** Where it is attached, for messages (`uprobe_multi:/bin/bash:3 offsets`). */
  readonly description: string;

  /** @internal */
  constructor(fd: number, description: string, private readonly owner: ProgramOwner) {
    this.#fd = fd;
    this.description = description;
    owner.trackLink(this);
  }

  get destroyed(): boolean {
    return this.#fd < 0;
  }

  /** The link's file descriptor (-1 once destroyed). */
  get fd(): number {
    return this.#fd;
  }

  /** Detaches: the kernel releases the link with its last file descriptor. Safe to call twice. */
  destroy(): void {
    const fd = this.take();
    if (fd >= 0) libc('close')(fd);
  }

  /** The same on a worker thread (the kernel waits for its uprobes to go). */
  destroyAsync(): Promise<void> {
    const fd = this.take();
    return fd < 0 ? Promise.resolve() : callAsync(libc('close'), fd).then(() => undefined);
  }

  private take(): number {
    const fd = this.#fd;
    if (fd < 0) return -1;
    this.#fd = -1;
    this.owner.untrackLink(this);
    return fd;
  }
}
