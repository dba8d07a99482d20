// Test helpers for the btf room: a small BTF encoder (for kinds vmlinux lacks
// and for split/module BTF when no module is loaded), bpftool's JSON dump as
// an independent oracle, and a normaliser from our model to bpftool's shape.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Btf, BtfType } from '../../../lib/btf/index.ts';

export const VMLINUX = '/sys/kernel/btf/vmlinux';

export function noVmlinuxReason(): string | undefined {
  return existsSync(VMLINUX) ? undefined : 'needs /sys/kernel/btf/vmlinux';
}

export function noBpftoolReason(): string | undefined {
  return spawnSync('bpftool', ['version']).status === 0 ? undefined : 'needs bpftool';
}

export interface BpftoolType {
  id: number;
  kind: string;
  name: string;
  [key: string]: unknown;
}

/** `bpftool -j btf dump file <path> [base <base>]`. */
export function bpftoolTypes(path: string, base?: string): BpftoolType[] {
  const args = [...(base ? ['-B', base] : []), '-j', 'btf', 'dump', 'file', path];
  const out = execFileSync('bpftool', args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  // enum values as strings: u64s past 2^53 would be rounded by JSON.parse
  return (JSON.parse(out.replace(/"val":(-?\d+)/g, '"val":"$1"')) as { types: BpftoolType[] }).types;
}

const anon = (n: string) => (n === '' ? '(anon)' : n);

/** Our decoded type in the shape bpftool prints it. */
export function asBpftool(btf: Btf, t: BtfType): BpftoolType {
  const base = { id: t.id, kind: t.kind.toUpperCase(), name: anon(t.name) };
  switch (t.kind) {
    case 'int':
      return { ...base, size: t.size, bits_offset: t.bitOffset, nr_bits: t.bits, encoding: t.bool ? 'BOOL' : t.char ? 'CHAR' : t.signed ? 'SIGNED' : '(none)' };
    case 'ptr':
    case 'typedef':
    case 'volatile':
    case 'const':
    case 'restrict':
    case 'type_tag':
      return { ...base, type_id: t.type };
    case 'array':
      return { ...base, type_id: t.type, index_type_id: t.indexType, nr_elems: t.length };
    case 'struct':
    case 'union':
      return {
        ...base,
        size: t.size,
        vlen: t.members.length,
        members: t.members.map((m) => ({ name: anon(m.name), type_id: m.type, bits_offset: m.bitOffset, ...(m.bitSize ? { bitfield_size: m.bitSize } : {}) })),
      };
    case 'enum':
    case 'enum64':
      return { ...base, encoding: t.signed ? 'SIGNED' : 'UNSIGNED', size: t.size, vlen: t.values.length, values: t.values.map((v) => ({ name: v.name, val: (t.kind === 'enum' ? BigInt.asUintN(32, v.value) : v.value).toString() })) };
    case 'fwd':
      return { ...base, fwd_kind: t.union ? 'union' : 'struct' };
    case 'func':
      return { ...base, type_id: t.type, linkage: t.linkage };
    case 'func_proto': {
      const params = t.params.map((p) => ({ name: anon(p.name), type_id: p.type }));
      if (t.variadic) params.push({ name: '(anon)', type_id: 0 });
      return { ...base, ret_type_id: t.returnType, vlen: params.length, params };
    }
    case 'var':
      return { ...base, type_id: t.type, linkage: t.linkage };
    case 'datasec':
      return { ...base, size: t.size, vlen: t.vars.length, vars: t.vars.map((v) => ({ type_id: v.type, offset: v.offset, size: v.size })) };
    case 'float':
      return { ...base, size: t.size };
    case 'decl_tag':
      return { ...base, type_id: t.type, component_idx: t.componentIdx };
    case 'void':
      return base;
  }
}

/**
 * bpftool's JSON made comparable: it prints a 32-bit enum value sign-extended
 * to 64 bits even when the enum is unsigned, so those compare as u32.
 */
export function bpftoolShape(t: BpftoolType): BpftoolType {
  if (t.kind !== 'ENUM') return t;
  const values = (t.values as { name: string; val: string }[]).map((v) => ({ name: v.name, val: BigInt.asUintN(32, BigInt(v.val)).toString() }));
  return { ...t, values };
}

// ---- a small BTF encoder --------------------------------------------------------

const KIND = { int: 1, ptr: 2, array: 3, struct: 4, union: 5, enum: 6, fwd: 7, typedef: 8, volatile: 9, const: 10, restrict: 11, func: 12, func_proto: 13, var: 14, datasec: 15, float: 16, decl_tag: 17, type_tag: 18, enum64: 19 };

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

/** Where `s` starts in a raw BTF file's string section (for split BTF that reuses base strings). */
export function stringOffsetIn(raw: Buffer, s: string): number {
  const strStart = 24 + raw.readUInt32LE(16);
  const strEnd = strStart + raw.readUInt32LE(20);
  const i = raw.subarray(strStart, strEnd).indexOf(Buffer.from(`\0${s}\0`, 'latin1'));
  if (i < 0) throw new Error(`string ${s} not in the base`);
  return i + 1;
}
