// BpfObject: an ELF BPF object opened, configured, loaded and closed through libbpf.

import { BpfError, withLibbpfLog } from './errors.ts';
import { BpfMap } from './map.ts';
import { bpf, isNull, lastErrno, libc, nativeView, type Ptr } from './native.ts';
import { BpfProgram, type Link } from './program.ts';

export interface OpenOptions {
  /** Object name (libbpf's default: the file's base name, or `<addr>-<size>` for a buffer). */
  name?: string;
}

/** sizeof(struct bpf_object_open_opts) up to object_name: libbpf accepts older, shorter structs. */
const OPEN_OPTS_SIZE = 16;

/** Copies a JS string into malloc'd memory as a NUL-terminated C string. */
export function cString(s: string): Ptr {
  const bytes = Buffer.from(s + '\0', 'utf8');
  const p = libc('malloc')(bytes.length) as Ptr | null;
  if (isNull(p)) throw new Error('out of memory');
  new Uint8Array(nativeView(p!, bytes.length)).set(bytes);
  return p!;
}

/** Runs `fn` with a `struct bpf_object_open_opts *` (or NULL when there is nothing to set). */
function withOpenOpts<T>(options: OpenOptions, fn: (opts: Buffer | null) => T): T {
  if (options.name === undefined) return fn(null);
  const name = cString(options.name);
  try {
    const opts = Buffer.alloc(OPEN_OPTS_SIZE);
    opts.writeBigUInt64LE(BigInt(OPEN_OPTS_SIZE), 0); // sz
    opts.writeBigUInt64LE(name, 8); // object_name (libbpf copies it)
    return fn(opts);
  } finally {
    libc('free')(name);
  }
}

export class BpfObject {
  #ptr: Ptr | undefined;
  #loaded = false;
  /** malloc'd copy of an openBuffer() image; libbpf reads it until load, freed on close. */
  #image: Ptr | undefined;
  readonly #links = new Set<Link>();
  readonly #maps = new Map<Ptr, BpfMap>();
  readonly #programs = new Map<Ptr, BpfProgram>();
  /** The object's name (libbpf's). */
  readonly name: string;

  private constructor(ptr: Ptr, image: Ptr | undefined) {
    this.#ptr = ptr;
    this.#image = image;
    this.name = bpf('bpf_object__name')(ptr);
  }

  /** Opens a BPF ELF object file (bpf_object__open_file); nothing is loaded yet. */
  static open(path: string, options: OpenOptions = {}): BpfObject {
    const { result, log } = withLibbpfLog(() =>
      withOpenOpts(options, (opts) => {
        const p = bpf('bpf_object__open_file')(path, opts);
        return { p, errno: lastErrno() };
      }),
    );
    if (isNull(result.p)) {
      throw new BpfError(`failed to open BPF object '${path}'`, { op: 'bpf_object__open_file', errno: result.errno || 22, log });
    }
    return new BpfObject(result.p as Ptr, undefined);
  }

  /** Opens a BPF ELF object from memory (bpf_object__open_mem); the bytes are copied. */
  static openBuffer(buf: Uint8Array, name: string): BpfObject {
    if (buf.length === 0) throw new BpfError(`failed to open BPF object '${name}'`, { op: 'bpf_object__open_mem', errno: 22 });
    const image = libc('malloc')(buf.length) as Ptr | null;
    if (isNull(image)) throw new Error('out of memory');
    new Uint8Array(nativeView(image!, buf.length)).set(buf);
    const { result, log } = withLibbpfLog(() =>
      withOpenOpts({ name }, (opts) => {
        const p = bpf('bpf_object__open_mem')(image, buf.length, opts);
        return { p, errno: lastErrno() };
      }),
    );
    if (isNull(result.p)) {
      libc('free')(image);
      throw new BpfError(`failed to open BPF object '${name}'`, { op: 'bpf_object__open_mem', errno: result.errno || 22, log });
    }
    return new BpfObject(result.p as Ptr, image!);
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get closed(): boolean {
    return this.#ptr === undefined;
  }

  /** @internal Throws if the object is closed: its maps' and programs' pointers are freed then. */
  assertOpen(what: string): void {
    if (this.#ptr === undefined) throw new Error(`${what}: BPF object '${this.name}' is closed`);
  }

  /** @internal */
  trackLink(link: Link): void {
    this.#links.add(link);
  }

  /** @internal */
  untrackLink(link: Link): void {
    this.#links.delete(link);
  }

  /** Links made from this object's programs and not destroyed yet. */
  get links(): Link[] {
    return [...this.#links];
  }

  /** The map named `name` (C symbol, or `.rodata`/`.data`/`.bss`), or undefined. */
  findMap(name: string): BpfMap | undefined {
    const obj = this.ptr('findMap');
    const p = bpf('bpf_object__find_map_by_name')(obj, name);
    return isNull(p) ? undefined : this.wrapMap(p as Ptr);
  }

  /** The map named `name`; throws a BpfError (ENOENT) if there is none. */
  map(name: string): BpfMap {
    const m = this.findMap(name);
    if (!m) throw new BpfError(`no map '${name}' in BPF object '${this.name}'`, { op: 'bpf_object__find_map_by_name', errno: 2 });
    return m;
  }

  /** All maps, internal ones (.rodata, .bss...) included, in ELF order. */
  maps(): BpfMap[] {
    const obj = this.ptr('maps');
    const next = bpf('bpf_object__next_map');
    const out: BpfMap[] = [];
    for (let p = next(obj, null); !isNull(p); p = next(obj, p)) out.push(this.wrapMap(p as Ptr));
    return out;
  }

  /** The program whose C function is `name`, or undefined. */
  findProgram(name: string): BpfProgram | undefined {
    const obj = this.ptr('findProgram');
    const p = bpf('bpf_object__find_program_by_name')(obj, name);
    return isNull(p) ? undefined : this.wrapProgram(p as Ptr);
  }

  /** The program whose C function is `name`; throws a BpfError (ENOENT) if there is none. */
  program(name: string): BpfProgram {
    const p = this.findProgram(name);
    if (!p) throw new BpfError(`no program '${name}' in BPF object '${this.name}'`, { op: 'bpf_object__find_program_by_name', errno: 2 });
    return p;
  }

  /** All programs, in ELF order. */
  programs(): BpfProgram[] {
    const obj = this.ptr('programs');
    const next = bpf('bpf_object__next_program');
    const out: BpfProgram[] = [];
    for (let p = next(obj, null); !isNull(p); p = next(obj, p)) out.push(this.wrapProgram(p as Ptr));
    return out;
  }

  /**
   * Sets the initial bytes of `.rodata` (before load). The compiler puts one
   * `const volatile` settings struct at offset 0; `bytes` may be shorter than the section.
   */
  setRodata(bytes: Uint8Array, offset = 0): void {
    this.map('.rodata').setInitialValue(bytes, offset);
  }

  /** bpf_map__set_max_entries on map `name`, before load. */
  setMapMaxEntries(name: string, n: number): void {
    this.map(name).setMaxEntries(n);
  }

  /**
   * Creates the maps, loads the programs into the kernel and applies relocations.
   * On failure throws a BpfError whose `log` is what libbpf printed and whose
   * `verifierLog` (and the message's last lines) is the verifier's verdict.
   */
  load(): void {
    const obj = this.ptr('load');
    if (this.#loaded) throw new Error(`BPF object '${this.name}' is already loaded`);
    const { result, log } = withLibbpfLog(() => {
      const r: number = bpf('bpf_object__load')(obj);
      return { r, errno: lastErrno() };
    });
    if (result.r < 0) {
      throw new BpfError(`failed to load BPF object '${this.name}'`, { op: 'bpf_object__load', errno: -result.r || result.errno, log });
    }
    this.#loaded = true;
  }

  /** Destroys the links left, then closes every map and program fd (bpf_object__close). Safe to call twice. */
  close(): void {
    const obj = this.#ptr;
    if (obj === undefined) return;
    for (const link of [...this.#links]) {
      try {
        link.destroy();
      } catch {
        // keep closing the rest
      }
    }
    this.#ptr = undefined;
    this.#loaded = false;
    this.#maps.clear();
    this.#programs.clear();
    bpf('bpf_object__close')(obj);
    if (this.#image !== undefined) {
      libc('free')(this.#image);
      this.#image = undefined;
    }
  }

  /**
   * close(), with the links destroyed concurrently on worker threads first:
   * n tracepoint links detach in about the time of one instead of n times it.
   */
  async closeAsync(): Promise<void> {
    if (this.#ptr === undefined) return;
    await Promise.all([...this.#links].map((l) => l.destroyAsync()));
    this.close();
  }

  private ptr(what: string): Ptr {
    this.assertOpen(what);
    return this.#ptr!;
  }

  private wrapMap(p: Ptr): BpfMap {
    let m = this.#maps.get(p);
    if (!m) this.#maps.set(p, (m = new BpfMap(p, this)));
    return m;
  }

  private wrapProgram(p: Ptr): BpfProgram {
    let prog = this.#programs.get(p);
    if (!prog) this.#programs.set(p, (prog = new BpfProgram(p, this)));
    return prog;
  }
}

