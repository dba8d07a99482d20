// BpfProgram (attach, test_run) and BpfLink.

import { BpfError, withLibbpfLog } from './errors.ts';
import { callAsync } from './async-calls.ts';
import { bpf, isNull, lastErrno, libc, nativeView, type Ptr } from './native.ts';
import { BpfFdLink } from './fd-link.ts';
import { createUprobeMultiLink } from './uprobe-multi.ts';
import { attachSplitting } from './offset-split.ts';
import { RefusedOffsets } from './refused-offsets.ts';
import { AttachType } from './features.ts';

/** What detaches a program: a libbpf link (BpfLink) or a link fd the runtime made itself (BpfFdLink). */
export interface Link {
  readonly description: string;
  readonly destroyed: boolean;
  /** The link's file descriptor (-1 once destroyed). */
  readonly fd: number;
  destroy(): void;
  destroyAsync(): Promise<void>;
}

/** What a program and its links need from the object that owns them. */
export interface ProgramOwner {
  readonly loaded: boolean;
  assertOpen(what: string): void;
  /** @internal */
  trackLink(link: Link): void;
  /** @internal */
  untrackLink(link: Link): void;
}

/** An attachment. Destroying it detaches the program; BpfObject.close() destroys those left. */
export class BpfLink implements Link {
  #ptr: Ptr | undefined;
  /** Where it is attached, for messages (`tracepoint:syscalls:sys_enter_getppid`). */
  readonly description: string;

  /** @internal */
  constructor(ptr: Ptr, description: string, private readonly owner: ProgramOwner) {
    this.#ptr = ptr;
    this.description = description;
    owner.trackLink(this);
  }

  get destroyed(): boolean {
    return this.#ptr === undefined;
  }

  /** The link's file descriptor (-1 once destroyed). */
  get fd(): number {
    return this.#ptr === undefined ? -1 : bpf('bpf_link__fd')(this.#ptr);
  }

  /** Detaches and frees the link; safe to call twice. */
  destroy(): void {
    const ptr = this.#ptr;
    if (ptr === undefined) return;
    this.#ptr = undefined;
    this.owner.untrackLink(this);
    bpf('bpf_link__destroy')(ptr);
  }

  /**
   * Like destroy(), but runs bpf_link__destroy on a worker thread. Detaching a
   * tracepoint or uprobe link waits in the kernel (~70-110 ms each, see docs/runtime.md);
   * destroying many links concurrently overlaps those waits.
   */
  destroyAsync(): Promise<void> {
    const ptr = this.#ptr;
    if (ptr === undefined) return Promise.resolve();
    this.#ptr = undefined;
    this.owner.untrackLink(this);
    return callAsync(bpf('bpf_link__destroy'), ptr).then(() => undefined);
  }
}

/** A link of an iterator program (`SEC("iter/...")`): each read() runs the iterator once. */
export class BpfIterLink extends BpfLink {
  /**
   * Creates an iterator instance (bpf_iter_create) and reads it to EOF: the text or
   * bytes the program wrote with bpf_seq_printf / bpf_seq_write.
   */
  read(): Buffer {
    if (this.destroyed) throw new Error(`iterator link ${this.description} is destroyed`);
    const fd: number = bpf('bpf_iter_create')(this.fd);
    if (fd < 0) throw new BpfError(`cannot create iterator for ${this.description}`, { op: 'bpf_iter_create', errno: lastErrno() || -fd });
    const chunks: Buffer[] = [];
    try {
      const read = libc('read');
      for (;;) {
        const buf = Buffer.alloc(65536);
        const n = Number(read(fd, buf, buf.length));
        if (n < 0) {
          const errno = lastErrno();
          if (errno === 4 /* EINTR */) continue;
          throw new BpfError(`read of iterator ${this.description}`, { op: 'read', errno });
        }
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
      }
    } finally {
      libc('close')(fd);
    }
    return Buffer.concat(chunks);
  }
}

export interface TestRunOptions {
  /**
   * Context bytes (`ctx_in`): for a raw_tp program, the u64 arguments it reads
   * (at most 12 * 8 bytes). Default: none, which suits programs that do not read their context.
   */
  ctx?: Uint8Array;
  /** Run on this CPU (BPF_F_TEST_RUN_ON_CPU); default: the calling CPU. */
  cpu?: number;
  /**
   * Packet bytes (`data_in`): programs of a packet type (xdp) need at least an
   * Ethernet header's worth (14 bytes) or the kernel refuses the run.
   */
  data?: Uint8Array;
  /** Runs the program this many times (packet types only; raw_tp refuses it); default 1. */
  repeat?: number;
}

/** What one BPF_PROG_TEST_RUN gave back. */
export interface TestRunResult {
  retval: number;
  /** The kernel's mean time per run in ns (0 for types it does not time, like raw_tp). */
  durationNs: number;
}

const BPF_F_TEST_RUN_ON_CPU = 1;
/** sizeof(struct bpf_uprobe_opts) in libbpf 1.1 (up to func_name). */
const UPROBE_OPTS_SIZE = 40;
/** sizeof(struct bpf_test_run_opts) in libbpf 1.1 (up to batch_size). */
const TEST_RUN_OPTS_SIZE = 80;

/** A program of a BpfObject, found by its C function name. */
export class BpfProgram {
  readonly name: string;
  /** ELF section; libbpf derives the program type and auto-attach target from it. */
  readonly section: string;

  /** @internal */
  constructor(
    private readonly ptr: Ptr,
    private readonly owner: ProgramOwner,
  ) {
    this.name = bpf('bpf_program__name')(ptr);
    this.section = bpf('bpf_program__section_name')(ptr);
  }

  /** The program's file descriptor; -1 before load (or when not autoloaded). */
  get fd(): number {
    this.owner.assertOpen(`program '${this.name}'`);
    const fd: number = bpf('bpf_program__fd')(this.ptr);
    return fd < 0 ? -1 : fd; // libbpf returns -ENOENT before load
  }

  /** enum bpf_prog_type */
  get type(): number {
    this.owner.assertOpen(`program '${this.name}'`);
    return bpf('bpf_program__type')(this.ptr);
  }

  /** Whether load() loads this program (before load; default true). */
  setAutoload(autoload: boolean): void {
    this.assertNotLoaded('setAutoload');
    const r: number = bpf('bpf_program__set_autoload')(this.ptr, autoload);
    if (r < 0) throw new BpfError(`program '${this.name}': set_autoload`, { op: 'bpf_program__set_autoload', errno: -r });
  }

  /**
   * Asks the verifier for a log when this program loads (before load): 1 and 2
   * trace the verification, 4 adds the statistics line. libbpf prints the log of
   * a successful load at debug level (see withLibbpfLog in errors.ts).
   */
  setLogLevel(level: number): void {
    this.assertNotLoaded('setLogLevel');
    const r: number = bpf('bpf_program__set_log_level')(this.ptr, level);
    if (r < 0) throw new BpfError(`program '${this.name}': set_log_level`, { op: 'bpf_program__set_log_level', errno: -r });
  }

  /** Sets the program type (enum bpf_prog_type) before load, for sections libbpf does not know. */
  setType(type: number): void {
    this.assertNotLoaded('setType');
    const r: number = bpf('bpf_program__set_type')(this.ptr, type);
    if (r < 0) throw new BpfError(`program '${this.name}': set_type`, { op: 'bpf_program__set_type', errno: -r });
  }

  /** enum bpf_attach_type the program loads with. */
  get expectedAttachType(): number {
    this.owner.assertOpen(`program '${this.name}'`);
    return bpf('bpf_program__expected_attach_type')(this.ptr);
  }

  /** Sets the expected attach type (enum bpf_attach_type) before load. */
  setExpectedAttachType(type: number): void {
    this.assertNotLoaded('setExpectedAttachType');
    const r: number = bpf('bpf_program__set_expected_attach_type')(this.ptr, type);
    if (r < 0) throw new BpfError(`program '${this.name}': set_expected_attach_type`, { op: 'bpf_program__set_expected_attach_type', errno: -r });
  }

  /**
   * Gives the verifier a log buffer of `size` bytes at `buf` (native memory
   * the caller keeps until after load): its log goes there, not to libbpf's
   * print, and a log that does not fit fails the load (ENOSPC).
   */
  setLogBuffer(buf: Ptr, size: number): void {
    this.assertNotLoaded('setLogBuffer');
    const r: number = bpf('bpf_program__set_log_buf')(this.ptr, buf, size);
    if (r < 0) throw new BpfError(`program '${this.name}': set_log_buf`, { op: 'bpf_program__set_log_buf', errno: -r });
  }

  /** Chooses the BTF attach target (e.g. the tp_btf event, fentry function) before load. */
  setAttachTarget(functionName: string): void {
    this.assertNotLoaded('setAttachTarget');
    const r: number = bpf('bpf_program__set_attach_target')(this.ptr, 0, functionName);
    if (r < 0) throw new BpfError(`program '${this.name}': set attach target '${functionName}'`, { op: 'bpf_program__set_attach_target', errno: -r });
  }

  /** Attaches the way the section says (`tracepoint/cat/name`, `raw_tp/name`, `tp_btf/name`, `uprobe/...`). */
  attach(): BpfLink {
    return this.link(`${this.section}`, 'bpf_program__attach', (f) => f(this.ptr));
  }

  /** Attaches to tracefs event `category:event` (a perf-event link). */
  attachTracepoint(category: string, event: string): BpfLink {
    return this.link(`tracepoint:${category}:${event}`, 'bpf_program__attach_tracepoint', (f) => f(this.ptr, category, event));
  }

  /** Attaches a raw_tp / tp_btf program to raw tracepoint `name` (e.g. `sched_switch`). */
  attachRawTracepoint(name: string): BpfLink {
    return this.link(`raw_tracepoint:${name}`, 'bpf_program__attach_raw_tracepoint', (f) => f(this.ptr, name));
  }

  /** Attaches to an open perf event. The link owns `perfFd` from then on and closes it when destroyed. */
  attachPerfEvent(perfFd: number): BpfLink {
    return this.link(`perf_event:fd${perfFd}`, 'bpf_program__attach_perf_event', (f) => f(this.ptr, perfFd));
  }

  /** Attaches a uprobe (or uretprobe) at `funcOffset` in `binaryPath`; pid -1 for every process. */
  attachUprobe(retprobe: boolean, pid: number, binaryPath: string, funcOffset: number): BpfLink {
    const kind = retprobe ? 'uretprobe' : 'uprobe';
    return this.link(`${kind}:${binaryPath}:0x${funcOffset.toString(16)}`, 'bpf_program__attach_uprobe', (f) =>
      f(this.ptr, retprobe, pid, binaryPath, funcOffset),
    );
  }

  /** A uprobe with a BPF cookie (bpf_program__attach_uprobe_opts). */
  attachUprobeWithCookie(retprobe: boolean, pid: number, binaryPath: string, funcOffset: number, cookie: number): BpfLink {
    const kind = retprobe ? 'uretprobe' : 'uprobe';
    const opts = Buffer.alloc(UPROBE_OPTS_SIZE);
    opts.writeBigUInt64LE(BigInt(UPROBE_OPTS_SIZE), 0); // sz
    opts.writeBigUInt64LE(BigInt(cookie), 16); // bpf_cookie
    opts.writeUInt8(retprobe ? 1 : 0, 24); // retprobe
    return this.link(`${kind}:${binaryPath}:0x${funcOffset.toString(16)}`, 'bpf_program__attach_uprobe_opts', (f) => f(this.ptr, pid, binaryPath, funcOffset, opts));
  }

  /**
   * Uprobes at several offsets of one binary, each with its cookie: one
   * uprobe_multi link where the program was loaded for one (uprobe-multi.ts),
   * else a uprobe link per offset. With `refused`, offsets the kernel cannot
   * probe are left out (offset-split.ts finds them in a refused link), each
   * reported to it by index, and the others attached.
   */
  attachUprobeMulti(retprobe: boolean, pid: number, binaryPath: string, offsets: readonly number[], cookies: readonly number[], refused?: (index: number, error: BpfError) => void): Link[] {
    const perOffset = this.expectedAttachType !== AttachType.UPROBE_MULTI;
    if (perOffset && !refused) return offsets.map((o, i) => this.attachUprobeWithCookie(retprobe, pid, binaryPath, o, cookies[i]!));
    this.owner.assertOpen(`program '${this.name}'`);
    const fd = this.fd;
    if (fd < 0) throw new Error(`program '${this.name}': attach needs a loaded object`);
    const attachPart = (indices: number[]): Link => {
      if (perOffset) return this.attachUprobeWithCookie(retprobe, pid, binaryPath, offsets[indices[0]!]!, cookies[indices[0]!]!);
      // One offset (split out of a refused link) is named, as a uprobe link's.
      const where = indices.length === 1 ? `0x${offsets[indices[0]!]!.toString(16)}` : `${indices.length} offsets`;
      const description = `${retprobe ? 'uretprobe' : 'uprobe'}_multi:${binaryPath}:${where}`;
      try {
        return new BpfFdLink(createUprobeMultiLink(fd, description, retprobe, pid, binaryPath, indices.map((i) => offsets[i]!), indices.map((i) => cookies[i]!)), description, this.owner);
      } catch (e) {
        if (e instanceof BpfError) throw new BpfError(`cannot attach program '${this.name}' to ${description}`, { op: e.op, errno: e.errno });
        throw e;
      }
    };
    if (!refused) return [attachPart(offsets.map((_, i) => i))];
    // A link per offset finds each refusal in one try; one link for all needs the search, or the memory of it.
    const memory = perOffset ? undefined : RefusedOffsets.of(binaryPath);
    const known = memory?.recall(offsets);
    const { links, refused: left } = attachSplitting(offsets.length, { attach: attachPart, destroy: (l) => l.destroy(), most: perOffset ? 1 : undefined }, known);
    memory?.update(offsets, left.map((r) => offsets[r.index]!));
    for (const r of left) refused(r.index, r.error as BpfError);
    return links;
  }

  /** Attaches to USDT probe `provider:name` in `binaryPath` (the program must use <bpf/usdt.bpf.h>). */
  attachUsdt(pid: number, binaryPath: string, provider: string, name: string): BpfLink {
    return this.link(`usdt:${binaryPath}:${provider}:${name}`, 'bpf_program__attach_usdt', (f) =>
      f(this.ptr, pid, binaryPath, provider, name, null),
    );
  }

  /** Attaches an iterator program (`SEC("iter/task")`...); read its output with the link's read(). */
  attachIter(): BpfIterLink {
    const { ptr, description } = this.attachRaw(`iter:${this.section}`, 'bpf_program__attach_iter', (f) => f(this.ptr, null));
    return new BpfIterLink(ptr, description, this.owner);
  }

  /**
   * Runs the program once in the kernel (BPF_PROG_TEST_RUN) and returns its return
   * value. For `SEC("raw_tp")` programs without an attach target this is how
   * begin/end probes run: the kernel calls the program on the current CPU with the
   * given (or a NULL) context; no data_in/out, repeat or duration is allowed for raw_tp.
   */
  testRun(options: TestRunOptions = {}): number {
    return this.measuredRun(options).retval;
  }

  /** The same, with the kernel's timing: for packet programs (xdp) run `repeat` times over `data`. */
  measuredRun(options: TestRunOptions = {}): TestRunResult {
    const fd = this.fd;
    if (fd < 0) throw new Error(`program '${this.name}' is not loaded`);
    // struct bpf_test_run_opts, laid out by hand. Context and packet are copied into malloc'd
    // memory so their addresses stay valid for the whole call whatever the GC does.
    const opts = Buffer.alloc(TEST_RUN_OPTS_SIZE);
    opts.writeBigUInt64LE(BigInt(TEST_RUN_OPTS_SIZE), 0); // sz
    const copies: Ptr[] = [];
    const copy = (bytes: Uint8Array): Ptr => {
      const ptr = libc('malloc')(bytes.length) as Ptr | null;
      if (isNull(ptr)) throw new Error('out of memory');
      copies.push(ptr!);
      new Uint8Array(nativeView(ptr!, bytes.length)).set(bytes);
      return ptr!;
    };
    let r: number;
    let errno = 0;
    try {
      if (options.ctx?.length) {
        opts.writeBigUInt64LE(copy(options.ctx), 32); // ctx_in
        opts.writeUInt32LE(options.ctx.length, 48); // ctx_size_in
      }
      if (options.data?.length) {
        opts.writeBigUInt64LE(copy(options.data), 8); // data_in
        opts.writeUInt32LE(options.data.length, 24); // data_size_in
      }
      if (options.repeat !== undefined) opts.writeInt32LE(options.repeat, 60); // repeat
      if (options.cpu !== undefined) {
        opts.writeUInt32LE(BPF_F_TEST_RUN_ON_CPU, 68); // flags
        opts.writeUInt32LE(options.cpu, 72); // cpu
      }
      r = bpf('bpf_prog_test_run_opts')(fd, opts);
      if (r < 0) errno = lastErrno() || -r;
    } finally {
      for (const ptr of copies) libc('free')(ptr);
    }
    if (r < 0) {
      throw new BpfError(`test run of program '${this.name}' (${this.section})`, { op: 'bpf_prog_test_run_opts', errno });
    }
    return { retval: opts.readUInt32LE(56), durationNs: opts.readUInt32LE(64) };
  }

  private link(description: string, op: AttachOp, call: (f: (...a: any[]) => any) => unknown): BpfLink {
    const { ptr } = this.attachRaw(description, op, call);
    return new BpfLink(ptr, description, this.owner);
  }

  private attachRaw(description: string, op: AttachOp, call: (f: (...a: any[]) => any) => unknown): { ptr: Ptr; description: string } {
    this.owner.assertOpen(`program '${this.name}'`);
    if (!this.owner.loaded) throw new Error(`program '${this.name}': attach needs a loaded object`);
    const f = bpf(op);
    const { result, log } = withLibbpfLog(() => {
      const p = call(f);
      return { p, errno: lastErrno() };
    });
    if (isNull(result.p)) {
      throw new BpfError(`cannot attach program '${this.name}' to ${description}`, { op, errno: result.errno || 22, log });
    }
    return { ptr: result.p as Ptr, description };
  }

  private assertNotLoaded(what: string): void {
    this.owner.assertOpen(`program '${this.name}'`);
    if (this.owner.loaded) throw new Error(`program '${this.name}': ${what} must be called before load()`);
  }
}

type AttachOp =
  | 'bpf_program__attach'
  | 'bpf_program__attach_tracepoint'
  | 'bpf_program__attach_raw_tracepoint'
  | 'bpf_program__attach_perf_event'
  | 'bpf_program__attach_uprobe'
  | 'bpf_program__attach_uprobe_opts'
  | 'bpf_program__attach_usdt'
  | 'bpf_program__attach_iter';

