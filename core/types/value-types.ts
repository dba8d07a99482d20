// Constructors, layout rules and comparisons for ValueType (the Manifest's
// type language, also used by the type pass). Layouts follow C's natural
// alignment so the generated C structs and these offsets always agree.
import type { BitfieldLayout, FieldLayout, IntType, NamedFieldLayout, RenderTag, StructType, ValueType } from '../manifest/index.ts';

export const int64: IntType = { kind: 'int', size: 8, signed: true };
export const uint64: IntType = { kind: 'int', size: 8, signed: false };
export const int32: IntType = { kind: 'int', size: 4, signed: true };
export const uint32: IntType = { kind: 'int', size: 4, signed: false };
export const boolType: ValueType = { kind: 'bool' };
export const noneType: ValueType = { kind: 'none' };

export function intType(size: 1 | 2 | 4 | 8, signed: boolean): IntType {
  return { kind: 'int', size, signed };
}

export function stringType(size: number): ValueType {
  return { kind: 'string', size };
}

export function sizeOf(t: ValueType): number {
  switch (t.kind) {
    case 'int':
      return t.size;
    case 'bool':
      return 1;
    case 'string':
      return t.size;
    case 'buffer':
      // The u32 length aligns the struct to 4: C rounds its size up, so must every layout holding it.
      return (4 + t.size + 3) & ~3;
    case 'pointer':
      return 8;
    case 'tuple':
    case 'record':
    case 'struct':
    case 'array':
      return t.size;
    case 'none':
      return 0;
  }
}

export function alignOf(t: ValueType): number {
  switch (t.kind) {
    case 'int':
      return t.size;
    case 'bool':
    case 'string':
    case 'none':
      return 1;
    case 'buffer':
      return 4;
    case 'pointer':
      return 8;
    case 'array':
      return alignOf(t.element);
    case 'tuple':
      return Math.max(1, ...t.elements.map((e) => alignOf(e.type)));
    case 'record':
    case 'struct':
      return Math.max(1, ...t.fields.map((f) => alignOf(f.type)));
  }
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Lays fields out as a C compiler does (natural alignment, tail padding). */
export function layoutFields(types: ValueType[]): { offsets: number[]; size: number } {
  let offset = 0;
  let maxAlign = 1;
  const offsets: number[] = [];
  for (const t of types) {
    const a = alignOf(t);
    maxAlign = Math.max(maxAlign, a);
    offset = alignUp(offset, a);
    offsets.push(offset);
    offset += sizeOf(t);
  }
  return { offsets, size: alignUp(offset, maxAlign) };
}

export function tupleType(elements: ValueType[]): ValueType {
  const { offsets, size } = layoutFields(elements);
  const fields: FieldLayout[] = elements.map((type, i) => ({ type, offset: offsets[i] }));
  return { kind: 'tuple', elements: fields, size };
}

export function recordType(fields: { name: string; type: ValueType }[]): ValueType {
  const { offsets, size } = layoutFields(fields.map((f) => f.type));
  const laid: NamedFieldLayout[] = fields.map((f, i) => ({ name: f.name, type: f.type, offset: offsets[i] }));
  return { kind: 'record', fields: laid, size };
}

export function sameType(a: ValueType, b: ValueType): boolean {
  return typeName(a) === typeName(b);
}

/** bpftrace's spelling of a type, used in messages (`uint64`, `string[16]`, `(int64,string[4])`). */
export function typeName(t: ValueType): string {
  switch (t.kind) {
    case 'int':
      return t.enumName ? `enum ${t.enumName}` : `${t.signed ? 'int' : 'uint'}${t.size * 8}`;
    case 'bool':
      return 'bool';
    case 'string':
      return `string[${t.size}]`;
    case 'buffer':
      return `buffer[${t.size}]`;
    case 'pointer':
      return t.pointee.endsWith('*') ? `${t.pointee}*` : `${t.pointee} *`;
    case 'tuple':
      return `(${t.elements.map((e) => typeName(e.type)).join(',')})`;
    case 'record':
      return `(${t.fields.map((f) => `${f.name}=${typeName(f.type)}`).join(',')})`;
    case 'struct':
      return t.name;
    case 'array':
      return `${typeName(t.element)}[${t.length}]`;
    case 'none':
      return 'none';
  }
}

export function isInteger(t: ValueType): t is IntType {
  return t.kind === 'int';
}

/** Whether values of `t` are signed integers (every non-integer type is not). */
export function isSigned(t: ValueType): boolean {
  return t.kind === 'int' && t.signed;
}

/** Whether two render tags are the same: one kind, the same parameters. */
export function sameRenderTag(a: RenderTag, b: RenderTag): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** A C type's spelling without its `const`/`volatile` qualifiers: they do not change what is read or stored. */
export function unqualified(spelling: string): string {
  return spelling.replace(/\b(const|volatile)\b/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Widens a type so values of `a` and `b` both fit (ints to 64-bit, strings to the longer). */
export function unify(a: ValueType, b: ValueType): ValueType | undefined {
  if (a.kind === 'int' && b.kind === 'int') {
    const t: IntType = { kind: 'int', size: 8, signed: a.signed || b.signed };
    // Rendered values (strftime() timestamps, ksym() addresses...) stay so when both sides carry the same tag.
    if (a.render && b.render && sameRenderTag(a.render, b.render)) t.render = a.render;
    // Values of one enum stay that enum (they print by name); arithmetic or a mix makes plain integers.
    if (a.enumName !== undefined && a.enumName === b.enumName) t.enumName = a.enumName;
    // Timestamps of one clock stay that clock's.
    if (a.clock !== undefined && a.clock === b.clock) t.clock = a.clock;
    return t;
  }
  if (a.kind === 'string' && b.kind === 'string') return stringType(Math.max(a.size, b.size));
  if (a.kind === 'buffer' && b.kind === 'buffer') return { kind: 'buffer', size: Math.max(a.size, b.size) };
  if (a.kind === 'tuple' && b.kind === 'tuple' && a.elements.length === b.elements.length) {
    const els: ValueType[] = [];
    for (let i = 0; i < a.elements.length; i++) {
      const u = unify(a.elements[i].type, b.elements[i].type);
      if (!u) return undefined;
      els.push(u);
    }
    const t = tupleType(els);
    // Tagged tuples (usym() values) stay so when both sides carry the same tag.
    if (a.render && b.render && sameRenderTag(a.render, b.render)) return { ...t, render: a.render } as ValueType;
    return t;
  }
  if (a.kind === 'record' && b.kind === 'record' && a.fields.length === b.fields.length) {
    // Records of the same names in another order are one type, in the first's order, as upstream.
    const fields: { name: string; type: ValueType }[] = [];
    for (const f of a.fields) {
      const other = b.fields.find((g) => g.name === f.name);
      const u = other && unify(f.type, other.type);
      if (!u) return undefined;
      fields.push({ name: f.name, type: u });
    }
    return recordType(fields);
  }
  if (a.kind === 'pointer' && b.kind === 'pointer' && !!a.user === !!b.user && a.pointee !== b.pointee) {
    // `const struct x *` and `struct x *` (two tracepoints of one probe): one pointer, the unqualified one, as upstream.
    if (unqualified(a.pointee) === unqualified(b.pointee)) return unqualified(a.pointee) === a.pointee ? a : b;
    // A `void *` and any other pointer (a function pointer member, `(void *)0`): the first's type, as upstream.
    if (a.pointee === 'void' || b.pointee === 'void') return a;
  }
  return sameType(a, b) ? a : undefined;
}

/**
 * Storage form of a scratch variable, map key/value or event field: a bare
 * integer widens to 64 bits (as bpftrace stores them); tuple and record
 * elements keep their own types, as upstream's do.
 */
export function storageType(t: ValueType): ValueType {
  if (t.kind === 'int') return { ...t, size: 8 };
  return t;
}

/** A member a whole record or struct value shows: a field at its byte offset, or a struct's bitfield. */
export type ShownField = { name: string; type: ValueType } & ({ offset: number; bitfield?: undefined } | { bitfield: BitfieldLayout });

/**
 * The members a whole record or struct value shows, in order: a struct's
 * bitfields among its fields by bit position (printing, JSON and decoding
 * walk this one list).
 */
export function shownFields(t: { kind: 'record'; fields: NamedFieldLayout[] } | StructType): ShownField[] {
  const out: ShownField[] = t.fields.map((f) => ({ name: f.name, type: f.type, offset: f.offset }));
  if (t.kind !== 'struct') return out;
  for (const b of t.bitfields ?? []) {
    const at = out.findIndex((f) => f.bitfield === undefined && f.offset * 8 > b.bitOffset);
    out.splice(at < 0 ? out.length : at, 0, { name: b.name, type: b.type, bitfield: b });
  }
  return out;
}
