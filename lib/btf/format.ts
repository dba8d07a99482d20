// The BTF wire format (include/uapi/linux/btf.h): header, kinds and record sizes.
// Only what is needed to index the type section; decoding lives in btf.ts.

export const BTF_MAGIC = 0xeb9f;

/** Kind numbers as stored in bits 24-28 of `btf_type.info`. */
export const Kind = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;

export type KindName =
  | 'void'
  | 'int'
  | 'ptr'
  | 'array'
  | 'struct'
  | 'union'
  | 'enum'
  | 'fwd'
  | 'typedef'
  | 'volatile'
  | 'const'
  | 'restrict'
  | 'func'
  | 'func_proto'
  | 'var'
  | 'datasec'
  | 'float'
  | 'decl_tag'
  | 'type_tag'
  | 'enum64';

/** Index = kind number. */
export const KIND_NAMES: readonly KindName[] = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef', 'volatile',
  'const', 'restrict', 'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag', 'enum64',
];

export const KIND_NUMBERS: Readonly<Record<KindName, number>> = Object.fromEntries(KIND_NAMES.map((n, i) => [n, i])) as Record<KindName, number>;

/** `struct btf_type` is 12 bytes; this many bytes follow it for `vlen` entries. */
export function trailingBytes(kind: number, vlen: number): number {
  switch (kind) {
    case Kind.INT:
    case Kind.VAR:
    case Kind.DECL_TAG:
      return 4;
    case Kind.ARRAY:
      return 12;
    case Kind.STRUCT:
    case Kind.UNION:
    case Kind.DATASEC:
    case Kind.ENUM64:
      return 12 * vlen;
    case Kind.ENUM:
    case Kind.FUNC_PROTO:
      return 8 * vlen;
    case Kind.PTR:
    case Kind.FWD:
    case Kind.TYPEDEF:
    case Kind.VOLATILE:
    case Kind.CONST:
    case Kind.RESTRICT:
    case Kind.FUNC:
    case Kind.FLOAT:
    case Kind.TYPE_TAG:
      return 0;
    default:
      return -1;
  }
}

/**
 * The same in words, as two tables indexed by kind (fixed + perVlen * vlen; -1:
 * unknown kind), so that the index scan over ~125k types is a tight loop.
 */
export const TRAILING_WORDS_FIXED = new Int8Array(32).fill(-1);
export const TRAILING_WORDS_PER_VLEN = new Int8Array(32);
for (let kind = 1; kind <= Kind.ENUM64; kind++) {
  const fixed = trailingBytes(kind, 0);
  TRAILING_WORDS_FIXED[kind] = fixed / 4;
  TRAILING_WORDS_PER_VLEN[kind] = (trailingBytes(kind, 1) - fixed) / 4;
}

export interface BtfHeader {
  version: number;
  flags: number;
  hdrLen: number;
  /** Absolute byte offsets into the file (the header's are relative to its end). */
  typeStart: number;
  typeEnd: number;
  strStart: number;
  strEnd: number;
}

export class BtfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtfFormatError';
  }
}

/** The header at the start of `buf`; `fileLength`: the whole file's, when `buf` holds only its start. */
export function readHeader(buf: Buffer, what: string, fileLength: number = buf.length): BtfHeader {
  if (buf.length < 24) throw new BtfFormatError(`${what}: too short for a BTF header (${buf.length} bytes)`);
  const magic = buf.readUInt16LE(0);
  if (magic !== BTF_MAGIC) {
    const hint = magic === 0x9feb ? ' (big-endian BTF is not supported)' : '';
    throw new BtfFormatError(`${what}: not raw BTF: magic 0x${magic.toString(16)}${hint}`);
  }
  const hdrLen = buf.readUInt32LE(4);
  const typeOff = buf.readUInt32LE(8);
  const typeLen = buf.readUInt32LE(12);
  const strOff = buf.readUInt32LE(16);
  const strLen = buf.readUInt32LE(20);
  const h: BtfHeader = {
    version: buf.readUInt8(2),
    flags: buf.readUInt8(3),
    hdrLen,
    typeStart: hdrLen + typeOff,
    typeEnd: hdrLen + typeOff + typeLen,
    strStart: hdrLen + strOff,
    strEnd: hdrLen + strOff + strLen,
  };
  if (h.typeEnd > fileLength || h.strEnd > fileLength || typeOff % 4 !== 0) {
    throw new BtfFormatError(`${what}: type or string section outside the file`);
  }
  return h;
}
