// A BTF encoder: types appended one by one (ids in order), strings
// deduplicated, then one raw BTF blob that Btf.fromBuffer reads. The DWARF
// reader (lib/dwarf) encodes a binary's types with it; tests build BTF of
// kinds vmlinux lacks and split BTF with it.

import { KIND_NUMBERS as KIND } from './format.ts';

export interface BuilderOptions {
  /** For split BTF: the base's endId and strEnd. */
  startId?: number;
  strBase?: number;
}

export class BtfBuilder {
  readonly startId: number;
  private readonly strBase: number;
  private readonly words: number[] = [];
  private readonly strings: Buffer[] = [];
  private strLen = 0;
  private readonly strOffsets = new Map<string, number>();
  private nextId: number;

  constructor(opts: BuilderOptions = {}) {
    this.startId = opts.startId ?? 1;
    this.nextId = this.startId;
    this.strBase = opts.strBase ?? 0;
    this.addString(''); // the string section starts with the empty string (libbpf wants it for split BTF too)
  }

  private addString(s: string): number {
    const off = this.strBase + this.strLen;
    const b = Buffer.from(`${s}\0`, 'latin1');
    this.strings.push(b);
    this.strLen += b.length;
    this.strOffsets.set(s, off);
    return off;
  }

  /** Offset of `s` in this blob's string numbering (0 for the empty string). */
  str(s: string): number {
    if (s === '') return 0;
    return this.strOffsets.get(s) ?? this.addString(s);
  }

  private type(name: string | number, kind: number, vlen: number, kindFlag: boolean, sizeOrType: number, ...trailing: number[]): number {
    const nameOff = typeof name === 'number' ? name : this.str(name);
    this.words.push(nameOff, ((kindFlag ? 1 : 0) << 31) | (kind << 24) | vlen, sizeOrType, ...trailing);
    return this.nextId++;
  }

  int(name: string, size: number, opts: { signed?: boolean; char?: boolean; bool?: boolean; bits?: number; offset?: number } = {}): number {
    const enc = (opts.signed ? 1 : 0) | (opts.char ? 2 : 0) | (opts.bool ? 4 : 0);
    return this.type(name, KIND.int, 0, false, size, (enc << 24) | ((opts.offset ?? 0) << 16) | (opts.bits ?? size * 8));
  }
  ptr(type: number): number {
    return this.type('', KIND.ptr, 0, false, type);
  }
  array(elem: number, index: number, n: number): number {
    return this.type('', KIND.array, 0, false, 0, elem, index, n);
  }
  composite(kind: 'struct' | 'union', name: string | number, size: number, members: [string | number, number, number, number?][], kindFlag = true): number {
    const tail = members.flatMap(([n, t, off, bits]) => [typeof n === 'number' ? n : this.str(n), t, kindFlag ? ((bits ?? 0) << 24) | off : off]);
    return this.type(name, KIND[kind], members.length, kindFlag, size, ...tail);
  }
  enum(name: string, size: number, values: [string, number][], signed = false): number {
    return this.type(name, KIND.enum, values.length, signed, size, ...values.flatMap(([n, v]) => [this.str(n), v >>> 0]));
  }
  enum64(name: string, values: [string, bigint][], signed = false): number {
    return this.type(name, KIND.enum64, values.length, signed, 8, ...values.flatMap(([n, v]) => [this.str(n), Number(BigInt.asUintN(64, v) & 0xffffffffn), Number(BigInt.asUintN(64, v) >> 32n)]));
  }
  fwd(name: string, union = false): number {
    return this.type(name, KIND.fwd, 0, union, 0);
  }
  modifier(kind: 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag', type: number, name = ''): number {
    return this.type(name, KIND[kind], 0, false, type);
  }
  func(name: string, proto: number, linkage: 0 | 1 | 2 = 1): number {
    return this.type(name, KIND.func, linkage, false, proto);
  }
  funcProto(ret: number, params: [string, number][], variadic = false): number {
    const all = variadic ? [...params, ['', 0] as [string, number]] : params;
    return this.type('', KIND.func_proto, all.length, false, ret, ...all.flatMap(([n, t]) => [this.str(n), t]));
  }
  variable(name: string, type: number, linkage: 0 | 1 | 2 = 1): number {
    return this.type(name, KIND.var, 0, false, type, linkage);
  }
  datasec(name: string, size: number, vars: [number, number, number][]): number {
    return this.type(name, KIND.datasec, vars.length, false, size, ...vars.flat());
  }
  float(name: string, size: number): number {
    return this.type(name, KIND.float, 0, false, size);
  }
  declTag(name: string, type: number, componentIdx = -1): number {
    return this.type(name, KIND.decl_tag, 0, false, type, componentIdx >>> 0);
  }

  build(): Buffer {
    const types = Buffer.alloc(this.words.length * 4);
    this.words.forEach((w, i) => types.writeUInt32LE(w >>> 0, i * 4));
    const strs = Buffer.concat(this.strings);
    const hdr = Buffer.alloc(24);
    hdr.writeUInt16LE(0xeb9f, 0);
    hdr.writeUInt8(1, 2);
    hdr.writeUInt32LE(24, 4);
    hdr.writeUInt32LE(0, 8);
    hdr.writeUInt32LE(types.length, 12);
    hdr.writeUInt32LE(types.length, 16);
    hdr.writeUInt32LE(strs.length, 20);
    return Buffer.concat([hdr, types, strs]);
  }
}
