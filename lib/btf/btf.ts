// A BTF blob (vmlinux, or a module's split BTF on top of vmlinux): the file is
// read once, the type section is scanned once into an offset table (typed
// arrays), and a type is decoded only when asked for. Names are found through
// a lazily built hash table (name-index.ts).
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename } from 'node:path';
import { BtfFormatError, KIND_NAMES, KIND_NUMBERS, Kind, readHeader, TRAILING_WORDS_FIXED, TRAILING_WORDS_PER_VLEN, type BtfHeader, type KindName } from './format.ts';
import { NameIndex } from './name-index.ts';
import { typeToC } from './ctype.ts';
import {
  BtfError,
  type BtfEnumValue,
  type BtfMember,
  type BtfParam,
  type BtfType,
  type BtfTypeOf,
  type FoundMember,
  type FuncSignature,
  type Linkage,
  type Resolved,
  type TypeId,
} from './model.ts';

export const VMLINUX_PATH = '/sys/kernel/btf/vmlinux';
const POINTER_SIZE = 8; // BPF and the 64-bit hosts we run on

const NAME_SCANS_BEFORE_INDEX = 6;
const LINKAGES: readonly Linkage[] = ['static', 'global', 'extern'];

export interface BtfOptions {
  /** The base BTF of a split BTF (vmlinux for a module). */
  base?: Btf;
  /** A name for messages (`vmlinux`, the module's name); defaults to the file's name. */
  name?: string;
}

export class Btf {
  /** `vmlinux`, a module's name, or the file name. */
  readonly name: string;
  readonly base: Btf | undefined;
  /** First id described by this blob (1, or the base's `endId` for split BTF). */
  readonly startId: TypeId;
  /** Number of types in this blob (not counting the base's). */
  readonly count: number;
  readonly header: BtfHeader;

  private readonly buf: Buffer;
  private readonly words: Uint32Array; // the type section as u32s
  private readonly offsets: Uint32Array; // own index -> word index of its btf_type
  private readonly nameOffs: Uint32Array; // own index -> name_off (contiguous: name scans stay in cache)
  private readonly strBase: number; // string offsets below this are the base's
  private readonly cache = new Map<TypeId, BtfType>();
  private names: NameIndex | undefined;
  private lookups = 0;
  private readonly aligns = new Map<TypeId, number>(); // alignof recurses through whole structs: memoised
  private readonly byName = new Map<string, number[]>(); // name -> own indexes, for repeated look-ups

  /** Reads raw BTF from a file (default: the running kernel's vmlinux BTF). */
  static open(path: string = VMLINUX_PATH, base?: Btf): Btf {
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch (e) {
      throw new BtfError(`cannot read BTF from ${path}: ${(e as Error).message}`);
    }
    return new Btf(buf, { base, name: basename(path) });
  }

  static fromBuffer(buf: Buffer, opts: BtfOptions = {}): Btf {
    return new Btf(buf, opts);
  }

  private constructor(buf: Buffer, opts: BtfOptions) {
    if (endianness() !== 'LE') throw new BtfError('BTF parsing needs a little-endian host');
    this.name = opts.name ?? 'btf';
    this.base = opts.base;
    this.buf = buf;
    try {
      this.header = readHeader(buf, this.name);
    } catch (e) {
      if (e instanceof BtfFormatError) throw new BtfError(e.message);
      throw e;
    }
    this.startId = opts.base ? opts.base.endId : 1;
    this.strBase = opts.base ? opts.base.strEnd : 0;
    const { typeStart, typeEnd } = this.header;
    const nWords = (typeEnd - typeStart) >>> 2;
    const aligned = (buf.byteOffset + typeStart) % 4 === 0;
    this.words = aligned
      ? new Uint32Array(buf.buffer, buf.byteOffset + typeStart, nWords)
      : new Uint32Array(Uint8Array.prototype.slice.call(buf, typeStart, typeStart + nWords * 4).buffer);
    const maxTypes = Math.ceil(nWords / 3);
    const offsets = new Uint32Array(maxTypes);
    const nameOffs = new Uint32Array(maxTypes);
    const w = this.words;
    let n = 0;
    for (let p = 0; p < nWords; ) {
      if (p + 3 > nWords) throw new BtfError(`${this.name}: truncated type at byte ${p * 4} of the type section`);
      const info = w[p + 1]!;
      const kind = (info >>> 24) & 0x1f;
      const fixed = TRAILING_WORDS_FIXED[kind]!;
      if (fixed < 0) throw new BtfError(`${this.name}: unknown BTF kind ${kind} (type id ${this.startId + n})`);
      nameOffs[n] = w[p]!;
      offsets[n++] = p;
      p += 3 + fixed + TRAILING_WORDS_PER_VLEN[kind]! * (info & 0xffff);
    }
    this.offsets = offsets.subarray(0, n);
    this.nameOffs = nameOffs.subarray(0, n);
    this.count = n;
  }

  /** One past the last id of this blob: where a split BTF on top of it starts. */
  get endId(): TypeId {
    return this.startId + this.count;
  }

  /** This blob's own string section: the names, each ending in a NUL. */
  get ownStrings(): Buffer {
    return this.buf.subarray(this.header.strStart, this.header.strEnd);
  }

  /** One past the last string offset of this blob (split BTF strings continue here). */
  get strEnd(): number {
    return this.strBase + (this.header.strEnd - this.header.strStart);
  }

  /** Whether `id` is a valid id here (own or the base's; 0 is void). */
  has(id: TypeId): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.endId;
  }

  /** The ids this blob itself describes. */
  *ownIds(): IterableIterator<TypeId> {
    for (let i = 0; i < this.count; i++) yield this.startId + i;
  }

  /** The blob that describes `id`: this one or a base. */
  private owner(id: TypeId): Btf {
    if (id >= this.startId && id < this.endId) return this;
    if (id > 0 && id < this.startId && this.base) return this.base.owner(id);
    throw new BtfError(`${this.name}: no type with id ${id}`);
  }

  /** The kind of a type without decoding it. */
  kindOf(id: TypeId): KindName {
    if (id === 0) return 'void';
    const o = this.owner(id);
    return KIND_NAMES[(o.words[o.offsets[id - o.startId]! + 1]! >>> 24) & 0x1f]!;
  }

  /** The name of a type without decoding it ('' when anonymous). */
  nameOf(id: TypeId): string {
    if (id === 0) return 'void';
    const o = this.owner(id);
    return o.str(o.words[o.offsets[id - o.startId]!]!);
  }

  /** A string of the string section (offsets below the base's end are the base's). */
  str(off: number): string {
    if (off < this.strBase) return this.base!.str(off);
    const start = this.header.strStart + off - this.strBase;
    if (start >= this.header.strEnd) throw new BtfError(`${this.name}: string offset ${off} outside the string section`);
    const end = this.buf.indexOf(0, start);
    return this.buf.toString('latin1', start, end < 0 || end > this.header.strEnd ? this.header.strEnd : end);
  }

  /** The decoded type (cached). */
  type(id: TypeId): BtfType {
    if (id === 0) return { kind: 'void', id: 0, name: 'void' };
    const o = this.owner(id);
    if (o !== this) return o.type(id);
    let t = this.cache.get(id);
    if (!t) {
      t = this.decode(id);
      this.cache.set(id, t);
    }
    return t;
  }

  /** The type, which must be of one of `kinds` (after nothing is skipped). */
  typeOf<K extends KindName>(id: TypeId, ...kinds: K[]): BtfTypeOf<K> {
    const t = this.type(id);
    if (!(kinds as KindName[]).includes(t.kind)) throw new BtfError(`type ${id} (${this.describe(id)}) is a ${t.kind}, expected ${kinds.join(' or ')}`);
    return t as BtfTypeOf<K>;
  }

  private decode(id: TypeId): BtfType {
    const w = this.words;
    const p = this.offsets[id - this.startId]!;
    const name = this.str(w[p]!);
    const info = w[p + 1]!;
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const sizeOrType = w[p + 2]!;
    const d = p + 3; // trailing data
    switch (kind) {
      case Kind.INT: {
        const v = w[d]!;
        const encoding = (v >>> 24) & 0x0f;
        return { kind: 'int', id, name, size: sizeOrType, bits: v & 0xff, bitOffset: (v >>> 16) & 0xff, signed: (encoding & 1) !== 0, char: (encoding & 2) !== 0, bool: (encoding & 4) !== 0 };
      }
      case Kind.PTR:
        return { kind: 'ptr', id, name, type: sizeOrType };
      case Kind.ARRAY:
        return { kind: 'array', id, name, type: w[d]!, indexType: w[d + 1]!, length: w[d + 2]! };
      case Kind.STRUCT:
      case Kind.UNION: {
        const members: BtfMember[] = [];
        for (let i = 0; i < vlen; i++) {
          const m = d + i * 3;
          const off = w[m + 2]!;
          const member: BtfMember = kindFlag
            ? { name: this.str(w[m]!), type: w[m + 1]!, bitOffset: off & 0xffffff, bitSize: off >>> 24 }
            : { name: this.str(w[m]!), type: w[m + 1]!, bitOffset: off, bitSize: 0 };
          if (!kindFlag) this.legacyBitfield(member);
          members.push(member);
        }
        return kind === Kind.STRUCT ? { kind: 'struct', id, name, size: sizeOrType, members } : { kind: 'union', id, name, size: sizeOrType, members };
      }
      case Kind.ENUM: {
        const values: BtfEnumValue[] = [];
        for (let i = 0; i < vlen; i++) {
          const raw = w[d + i * 2 + 1]!;
          values.push({ name: this.str(w[d + i * 2]!), value: BigInt(kindFlag ? raw | 0 : raw) });
        }
        return { kind: 'enum', id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case Kind.ENUM64: {
        const values: BtfEnumValue[] = [];
        for (let i = 0; i < vlen; i++) {
          const v = (BigInt(w[d + i * 3 + 2]!) << 32n) | BigInt(w[d + i * 3 + 1]!);
          values.push({ name: this.str(w[d + i * 3]!), value: kindFlag ? BigInt.asIntN(64, v) : v });
        }
        return { kind: 'enum64', id, name, size: sizeOrType, signed: kindFlag, values };
      }
      case Kind.FWD:
        return { kind: 'fwd', id, name, union: kindFlag };
      case Kind.TYPEDEF:
      case Kind.VOLATILE:
      case Kind.CONST:
      case Kind.RESTRICT:
      case Kind.TYPE_TAG:
        return { kind: KIND_NAMES[kind] as 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag', id, name, type: sizeOrType } as BtfType;
      case Kind.FUNC:
        return { kind: 'func', id, name, type: sizeOrType, linkage: LINKAGES[vlen] ?? 'static' };
      case Kind.FUNC_PROTO: {
        const params: BtfParam[] = [];
        let variadic = false;
        for (let i = 0; i < vlen; i++) {
          const nameOff = w[d + i * 2]!;
          const type = w[d + i * 2 + 1]!;
          if (i === vlen - 1 && nameOff === 0 && type === 0) variadic = true;
          else params.push({ name: this.str(nameOff), type });
        }
        return { kind: 'func_proto', id, name, returnType: sizeOrType, params, variadic };
      }
      case Kind.VAR:
        return { kind: 'var', id, name, type: sizeOrType, linkage: LINKAGES[w[d]!] ?? 'static' };
      case Kind.DATASEC: {
        const vars = [];
        for (let i = 0; i < vlen; i++) vars.push({ type: w[d + i * 3]!, offset: w[d + i * 3 + 1]!, size: w[d + i * 3 + 2]! });
        return { kind: 'datasec', id, name, size: sizeOrType, vars };
      }
      case Kind.FLOAT:
        return { kind: 'float', id, name, size: sizeOrType };
      case Kind.DECL_TAG:
        return { kind: 'decl_tag', id, name, type: sizeOrType, componentIdx: w[d]! | 0 };
      default:
        throw new BtfError(`${this.name}: unknown BTF kind ${kind} (type id ${id})`);
    }
  }

  /** Old encoding (kind_flag 0): a bitfield is a member whose INT type has fewer bits than its size. */
  private legacyBitfield(m: BtfMember): void {
    let id = m.type;
    for (let k = this.kindOf(id); k === 'typedef' || k === 'const' || k === 'volatile' || k === 'restrict' || k === 'type_tag'; k = this.kindOf(id)) {
      id = (this.type(id) as { type: TypeId }).type;
    }
    const t = this.type(id);
    if (t.kind === 'int' && (t.bits !== t.size * 8 || t.bitOffset !== 0)) {
      m.bitOffset += t.bitOffset;
      m.bitSize = t.bits;
    }
  }

  // ---- names ----------------------------------------------------------------

  /** Ids named `name` (this blob first, then its base), optionally of the given kinds. */
  findAllByName(name: string, kinds?: KindName | readonly KindName[]): TypeId[] {
    const wanted = kinds === undefined ? undefined : new Set((typeof kinds === 'string' ? [kinds] : kinds).map((k) => KIND_NUMBERS[k]));
    const own = this.ownIndexesNamed(name)
      .filter((i) => !wanted || wanted.has((this.words[this.offsets[i]! + 1]! >>> 24) & 0x1f))
      .map((i) => this.startId + i);
    return this.base ? [...own, ...this.base.findAllByName(name, kinds)] : own;
  }

  /**
   * Own type indexes named `name`. The first look-ups search the string section
   * for the name, then the types' name offsets for its offset, both with native
   * memmem (~1.5 ms on vmlinux in a fresh process); a process that looks up
   * many names gets the hash index instead (~5 ms to build, then microseconds).
   * Split BTF (small) always searches.
   */
  private ownIndexesNamed(name: string): number[] {
    if (name === '') return [];
    let hit = this.byName.get(name);
    if (!hit) this.byName.set(name, (hit = this.searchName(name)));
    return hit;
  }

  private searchName(name: string): number[] {
    if (this.names) return this.names.lookup(name);
    if (!this.base && ++this.lookups > NAME_SCANS_BEFORE_INDEX) {
      this.names = new NameIndex({
        bytes: this.buf,
        count: this.count,
        nameByteOffset: (i) => {
          const off = this.nameOffs[i]!;
          return off === 0 ? -1 : this.header.strStart + off;
        },
      });
      return this.names.lookup(name);
    }
    const out: number[] = [];
    // name_off equality searched natively: the u32 offsets of all types are one contiguous array
    const names = Buffer.from(this.nameOffs.buffer, this.nameOffs.byteOffset, this.nameOffs.byteLength);
    const needle = Buffer.alloc(4);
    for (const off of this.stringOffsets(name)) {
      needle.writeUInt32LE(off, 0);
      for (let i = names.indexOf(needle); i >= 0; i = names.indexOf(needle, i + 1)) if ((i & 3) === 0) out.push(i >>> 2);
    }
    return out.sort((a, b) => a - b);
  }

  /** Every string offset (in this blob's numbering, base strings included) at which the string `s` starts. */
  private stringOffsets(s: string): number[] {
    const out = this.base ? this.base.stringOffsets(s) : [];
    const { strStart, strEnd } = this.header;
    const section = this.buf.subarray(strStart, strEnd);
    // Strings follow a NUL, except perhaps the first of a split BTF's section.
    const needle = Buffer.from(`\0${s}\0`, 'latin1');
    if (section.subarray(0, needle.length - 1).equals(needle.subarray(1))) out.push(this.strBase);
    for (let i = section.indexOf(needle); i >= 0; i = section.indexOf(needle, i + 1)) out.push(this.strBase + i + 1);
    return out;
  }

  /**
   * The id of the type named `name` of one of `kinds` ('struct', 'typedef', ...;
   * any kind when omitted). A complete struct/union/enum is preferred over a FWD.
   */
  findByName(kinds: KindName | readonly KindName[] | undefined, name: string): TypeId | undefined {
    const ids = this.findAllByName(name, kinds);
    return ids.find((id) => this.kindOf(id) !== 'fwd') ?? ids[0];
  }

  /**
   * The enum/enum64 types with an enumerator called `name`, and its value (own
   * types first, then the base's). Enumerators are not in the name index: the
   * name's string offsets are found natively, then only the enum records'
   * words are compared (about 1 ms over vmlinux).
   */
  findEnumerator(name: string): { id: TypeId; value: bigint }[] {
    const out: { id: TypeId; value: bigint }[] = [];
    const offs = name === '' ? [] : this.stringOffsets(name);
    if (offs.length > 0) {
      const w = this.words;
      for (let i = 0; i < this.count; i++) {
        const p = this.offsets[i]!;
        const info = w[p + 1]!;
        const kind = (info >>> 24) & 0x1f;
        if (kind !== Kind.ENUM && kind !== Kind.ENUM64) continue;
        const stride = kind === Kind.ENUM ? 2 : 3;
        for (let j = 0, n = info & 0xffff; j < n; j++) {
          if (!offs.includes(w[p + 3 + j * stride]!)) continue;
          const t = this.type(this.startId + i) as BtfTypeOf<'enum' | 'enum64'>;
          out.push({ id: t.id, value: t.values[j]!.value });
        }
      }
    }
    return this.base ? [...out, ...this.base.findEnumerator(name)] : out;
  }

  // ---- type queries ---------------------------------------------------------

  /** Skips typedef/const/volatile/restrict/type_tag, remembering what it skipped. */
  resolve(id: TypeId): Resolved {
    const tags: string[] = [];
    const typedefs: string[] = [];
    let isConst = false;
    let isVolatile = false;
    for (let guard = 0; guard < 256; guard++) {
      const t = this.type(id);
      switch (t.kind) {
        case 'typedef':
          typedefs.push(t.name);
          break;
        case 'const':
          isConst = true;
          break;
        case 'volatile':
          isVolatile = true;
          break;
        case 'type_tag':
          tags.push(t.name);
          break;
        case 'restrict':
          break;
        default:
          return { id, type: t, tags, typedefs, isConst, isVolatile };
      }
      id = t.type;
    }
    throw new BtfError(`${this.name}: type ${id}: cycle of typedefs/modifiers`);
  }

  resolveId(id: TypeId): TypeId {
    return this.resolve(id).id;
  }

  /** What a pointer (after typedefs/modifiers) points at, with the pointee's tags; undefined if not a pointer. */
  pointee(id: TypeId): (Resolved & { userSpace: boolean }) | undefined {
    const p = this.resolve(id).type;
    if (p.kind !== 'ptr') return undefined;
    const r = this.resolve(p.type);
    return { ...r, userSpace: r.tags.includes('user') };
  }

  sizeof(id: TypeId): number {
    const r = this.resolve(id);
    const t = r.type;
    switch (t.kind) {
      case 'int':
      case 'enum':
      case 'enum64':
      case 'float':
      case 'struct':
      case 'union':
      case 'datasec':
        return t.size;
      case 'ptr':
        return POINTER_SIZE;
      case 'array':
        return t.length * this.sizeof(t.type);
      case 'var':
        return this.sizeof(t.type);
      default:
        throw new BtfError(`sizeof: ${this.describe(id)} has no size (${t.kind})`);
    }
  }

  /** Natural alignment, as the C compiler laid the type out (1 for packed structs). */
  alignof(id: TypeId): number {
    let a = this.aligns.get(id);
    if (a === undefined) this.aligns.set(id, (a = this.computeAlign(id)));
    return a;
  }

  private computeAlign(id: TypeId): number {
    const t = this.resolve(id).type;
    switch (t.kind) {
      case 'int':
      case 'enum':
      case 'enum64':
      case 'float':
        return Math.min(t.size, POINTER_SIZE) || 1;
      case 'ptr':
        return POINTER_SIZE;
      case 'array':
        return this.alignof(t.type);
      case 'struct':
      case 'union': {
        const { align, packed } = this.compositeLayout(t);
        return packed ? 1 : align;
      }
      default:
        throw new BtfError(`alignof: ${this.describe(id)} has no alignment (${t.kind})`);
    }
  }

  /** Whether a struct/union is laid out packed (some member, or its size, is not naturally aligned). */
  isPacked(id: TypeId): boolean {
    const t = this.resolve(id).type;
    return (t.kind === 'struct' || t.kind === 'union') && this.compositeLayout(t).packed;
  }

  /** As libbpf's btf__align_of: the largest member alignment, and packed when something is misaligned. */
  private compositeLayout(t: BtfTypeOf<'struct' | 'union'>): { align: number; packed: boolean } {
    let align = 1;
    for (const m of t.members) {
      const a = this.alignof(m.type);
      if (m.bitSize === 0 && m.bitOffset % (8 * a) !== 0) return { align: 1, packed: true };
      align = Math.max(align, a);
    }
    return { align, packed: t.size % align !== 0 };
  }

  /** Members of a struct/union (through typedefs/modifiers). */
  members(id: TypeId): BtfMember[] {
    const t = this.resolve(id).type;
    if (t.kind !== 'struct' && t.kind !== 'union') throw new BtfError(`${this.describe(id)} is not a struct or union`);
    return t.members;
  }

  /**
   * Finds a member by name, looking inside anonymous struct/union members as C
   * does; the offset is accumulated from the outer struct. Undefined if absent.
   */
  member(structId: TypeId, name: string): FoundMember | undefined {
    const outer = this.resolve(structId);
    if (outer.type.kind !== 'struct' && outer.type.kind !== 'union') throw new BtfError(`${this.describe(structId)} is not a struct or union`);
    const path = this.findMemberPath(outer.id, name, 0);
    if (!path) return undefined;
    const last = path[path.length - 1]!;
    const bitOffset = path.reduce((sum, s) => sum + s.member.bitOffset, 0);
    return { member: last.member, bitOffset, bitSize: last.member.bitSize, type: last.member.type, path };
  }

  private findMemberPath(structId: TypeId, name: string, depth: number): FoundMember['path'] | undefined {
    if (depth > 32) return undefined;
    const t = this.type(structId) as BtfTypeOf<'struct' | 'union'>;
    for (let index = 0; index < t.members.length; index++) {
      const m = t.members[index]!;
      if (m.name === name) return [{ structId, index, member: m }];
      if (m.name === '') {
        const inner = this.resolve(m.type);
        if (inner.type.kind !== 'struct' && inner.type.kind !== 'union') continue;
        const rest = this.findMemberPath(inner.id, name, depth + 1);
        if (rest) return [{ structId, index, member: m }, ...rest];
      }
    }
    return undefined;
  }

  /** Enumerators of an enum/enum64 (through typedefs/modifiers). */
  enumValues(id: TypeId): BtfEnumValue[] {
    const t = this.resolve(id).type;
    if (t.kind !== 'enum' && t.kind !== 'enum64') throw new BtfError(`${this.describe(id)} is not an enum`);
    return t.values;
  }

  /** A function prototype by FUNC id or a FUNC_PROTO (or pointer/typedef to one) id. */
  signature(id: TypeId): FuncSignature {
    let t = this.resolve(id).type;
    const name = t.kind === 'func' ? t.name : '';
    if (t.kind === 'func') t = this.type(t.type);
    if (t.kind === 'ptr') t = this.resolve(t.type).type;
    if (t.kind !== 'func_proto') throw new BtfError(`${this.describe(id)} is not a function or function prototype`);
    return { name, protoId: t.id, returnType: t.returnType, params: t.params, variadic: t.variadic };
  }

  /** The prototype of the kernel function `name` (a FUNC), undefined if unknown. */
  funcProto(name: string): FuncSignature | undefined {
    const id = this.findByName('func', name);
    return id === undefined ? undefined : this.signature(id);
  }

  /**
   * The arguments of raw tracepoint `name` (`sched_switch`): the `btf_trace_<name>`
   * typedef is a pointer to a prototype whose first parameter is the `void *`
   * context; the rest are the tracepoint's arguments. Their names come from the
   * `__bpf_trace_<name>` (or `__probestub_<name>`) function, which has them.
   */
  rawTracepointArgs(name: string): BtfParam[] | undefined {
    const td = this.findByName('typedef', `btf_trace_${name}`);
    if (td === undefined) return undefined;
    const proto = this.signature(td);
    const args = proto.params.slice(1);
    const named = [`__bpf_trace_${name}`, `__probestub_${name}`]
      .map((fn) => this.funcProto(fn))
      .find((s) => s && s.params.length === proto.params.length && s.params.slice(1).every((p) => p.name !== ''));
    return args.map((p, i) => ({ name: named?.params[i + 1]!.name ?? (p.name || `arg${i}`), type: p.type }));
  }

  /** The `trace_event_raw_<name>` struct of a tracepoint (its format record), if any. */
  tracepointStruct(name: string): TypeId | undefined {
    return this.findByName('struct', `trace_event_raw_${name}`);
  }

  /** C spelling of a type, optionally declaring `name` (`int x[16]`, `void (*fn)(int)`). */
  typeToC(id: TypeId, name = ''): string {
    return typeToC(this, id, name);
  }

  /** A short description for messages: the C spelling and the id. */
  describe(id: TypeId): string {
    try {
      return `${this.typeToC(id)} [${id}]`;
    } catch {
      return `type [${id}]`;
    }
  }
}
