// One member of one struct, read from a BTF file with a few positioned reads:
// the type section is walked from its start only as far as the struct and the
// member's type, and the string section read in chunks only as far as the
// names compared (one read per name took ~140 reads for task_struct). Reading and indexing
// the whole vmlinux BTF takes ~150 ms (sysfs hands it out slowly); a struct
// the kernel defines early (task_struct) is found in the first 16 KiB.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { BTF_MAGIC, Kind, readHeader, TRAILING_WORDS_FIXED, TRAILING_WORDS_PER_VLEN, type BtfHeader } from './format.ts';

const CHUNK = 1 << 14;
const HEADER_BYTES = 24;
const POINTER_SIZE = 8; // BPF and the 64-bit hosts we run on
/** How many typedef and qualifier links a member's type may go through to its array or int. */
const MAX_TYPE_CHAIN = 16;

export interface MemberLayout {
  /** Byte offset in the struct. */
  offset: number;
  /** Size in bytes (an array's: elements times element size). */
  size: number;
}

/** The type section of a BTF file, read in chunks as far as asked; a record's words by type id. */
class TypeSectionReader {
  private words = new Uint32Array(0);
  private wordsRead = 0;
  /** Word index of each type's record, by id (id 0 is void and has none). */
  private readonly starts: number[] = [-1];
  private scanned = 0; // words of whole records indexed

  constructor(
    private readonly fd: number,
    private readonly header: BtfHeader,
  ) {}

  /** The record of type `id` (info word at [1]), or undefined past the section's end. */
  record(id: number): Uint32Array | undefined {
    while (this.starts.length <= id) if (!this.indexNext()) return undefined;
    const start = this.starts[id]!;
    return this.words.subarray(start, start + this.recordWords(start));
  }

  /** Indexes the next record, reading more of the section when needed; false at its end. */
  private indexNext(): boolean {
    const sectionWords = (this.header.typeEnd - this.header.typeStart) / 4;
    if (this.scanned >= sectionWords) return false;
    if (!this.ensure(this.scanned + 3)) return false;
    const length = this.recordWords(this.scanned);
    if (length < 0 || !this.ensure(this.scanned + length)) return false;
    this.starts.push(this.scanned);
    this.scanned += length;
    return true;
  }

  private recordWords(start: number): number {
    const info = this.words[start + 1]!;
    const kind = (info >>> 24) & 0x1f;
    const fixed = TRAILING_WORDS_FIXED[kind]!;
    if (fixed < 0) return -1;
    return 3 + fixed + TRAILING_WORDS_PER_VLEN[kind]! * (info & 0xffff);
  }

  /** Makes the first `n` words of the section readable; false when the section is shorter. */
  private ensure(n: number): boolean {
    const sectionBytes = this.header.typeEnd - this.header.typeStart;
    if (n * 4 > sectionBytes) return false;
    while (this.wordsRead < n) {
      const want = Math.min(CHUNK, sectionBytes - this.wordsRead * 4);
      const chunk = Buffer.alloc(want);
      if (!readFully(this.fd, chunk, this.header.typeStart + this.wordsRead * 4)) return false;
      if (this.words.length < this.wordsRead + want / 4) {
        const grown = new Uint32Array(Math.max(this.words.length * 2, this.wordsRead + want / 4));
        grown.set(this.words.subarray(0, this.wordsRead));
        this.words = grown;
      }
      this.words.set(new Uint32Array(chunk.buffer, chunk.byteOffset, want / 4), this.wordsRead);
      this.wordsRead += want / 4;
    }
    return true;
  }
}

/** Fills `b` from the file at `position` (sysfs hands out a page per read); false when the file ends first. */
function readFully(fd: number, b: Buffer, position: number): boolean {
  for (let done = 0; done < b.length;) {
    const got = readSync(fd, b, done, b.length - done, position + done);
    if (got <= 0) return false;
    done += got;
  }
  return true;
}

/** The string section, read in chunks as names are compared (the names of early types are near its start). */
class StringSectionReader {
  private readonly chunks = new Map<number, Buffer>();

  constructor(
    private readonly fd: number,
    private readonly header: BtfHeader,
  ) {}

  /** Whether the string at `nameOff` is `name`. */
  is(nameOff: number, name: string): boolean {
    if (nameOff === 0) return name === '';
    const want = Buffer.byteLength(name) + 1;
    if (this.header.strStart + nameOff + want > this.header.strEnd) return false;
    const b = this.bytes(nameOff, want);
    return b !== undefined && b[want - 1] === 0 && b.toString('utf8', 0, want - 1) === name;
  }

  /** `n` bytes from offset `at` of the section; undefined when the file ends first. */
  private bytes(at: number, n: number): Buffer | undefined {
    const parts: Buffer[] = [];
    for (let pos = at; pos < at + n;) {
      const index = Math.floor(pos / CHUNK);
      const chunk = this.chunk(index);
      if (!chunk) return undefined;
      const from = pos - index * CHUNK;
      const part = chunk.subarray(from, Math.min(chunk.length, from + at + n - pos));
      if (part.length === 0) return undefined;
      parts.push(part);
      pos += part.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private chunk(index: number): Buffer | undefined {
    let chunk = this.chunks.get(index);
    if (chunk) return chunk;
    const start = index * CHUNK;
    const size = Math.min(CHUNK, this.header.strEnd - this.header.strStart - start);
    if (size <= 0) return undefined;
    chunk = Buffer.alloc(size);
    if (!readFully(this.fd, chunk, this.header.strStart + start)) return undefined;
    this.chunks.set(index, chunk);
    return chunk;
  }
}

/** Size in bytes of type `id` (scalars, pointers, structs, arrays of them), through typedefs and qualifiers. */
function sizeOf(types: TypeSectionReader, id: number, depth = 0): number | undefined {
  const r = types.record(id);
  if (!r || depth > MAX_TYPE_CHAIN) return undefined;
  const kind = (r[1]! >>> 24) & 0x1f;
  switch (kind) {
    case Kind.INT:
    case Kind.STRUCT:
    case Kind.UNION:
    case Kind.ENUM:
    case Kind.ENUM64:
    case Kind.FLOAT:
      return r[2];
    case Kind.PTR:
      return POINTER_SIZE;
    case Kind.ARRAY: {
      const element = sizeOf(types, r[3]!, depth + 1);
      return element === undefined ? undefined : element * r[5]!;
    }
    case Kind.TYPEDEF:
    case Kind.CONST:
    case Kind.VOLATILE:
    case Kind.RESTRICT:
    case Kind.TYPE_TAG:
      return sizeOf(types, r[2]!, depth + 1);
    default:
      return undefined;
  }
}

/** The file's BTF header; undefined when it is not raw little-endian BTF. */
function readFileHeader(fd: number, path: string): BtfHeader | undefined {
  const head = Buffer.alloc(HEADER_BYTES);
  if (!readFully(fd, head, 0) || head.readUInt16LE(0) !== BTF_MAGIC) return undefined;
  const h = readHeader(head, path, fstatSync(fd).size);
  return h.typeStart % 4 === 0 ? h : undefined;
}

/** The member's layout within the first struct named `structName` in the BTF file at `path`; undefined when either is missing or the file is not BTF. */
export function readMemberLayout(path: string, structName: string, memberName: string): MemberLayout | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const header = readFileHeader(fd, path);
    if (!header) return undefined;
    const types = new TypeSectionReader(fd, header);
    const strings = new StringSectionReader(fd, header);
    for (let id = 1, r = types.record(id); r; r = types.record(++id)) {
      const info = r[1]!;
      if (((info >>> 24) & 0x1f) !== Kind.STRUCT || !strings.is(r[0]!, structName)) continue;
      const kindFlag = info >>> 31;
      for (let i = 0; i < (info & 0xffff); i++) {
        const [nameOff, type, offsetWord] = [r[3 + 3 * i]!, r[4 + 3 * i]!, r[5 + 3 * i]!];
        if (!strings.is(nameOff, memberName)) continue;
        const bitOffset = kindFlag ? offsetWord & 0xffffff : offsetWord;
        if ((kindFlag && offsetWord >>> 24) || bitOffset % 8) return undefined; // a bitfield
        const size = sizeOf(types, type);
        return size === undefined ? undefined : { offset: bitOffset / 8, size };
      }
      return undefined;
    }
    return undefined;
  } catch {
    return undefined; // not BTF, or cut short
  } finally {
    closeSync(fd);
  }
}
