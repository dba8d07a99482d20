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

// The BTF encoder the tests build their BTF with is lib/btf's own.
export { BtfBuilder, type BuilderOptions } from '../../../lib/btf/index.ts';

/** Where `s` starts in a raw BTF file's string section (for split BTF that reuses base strings). */
export function stringOffsetIn(raw: Buffer, s: string): number {
  const strStart = 24 + raw.readUInt32LE(16);
  const strEnd = strStart + raw.readUInt32LE(20);
  const i = raw.subarray(strStart, strEnd).indexOf(Buffer.from(`\0${s}\0`, 'latin1'));
  if (i < 0) throw new Error(`string ${s} not in the base`);
  return i + 1;
}
