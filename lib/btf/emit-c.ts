// C declarations of kernel types for CO-RE: exactly the types a script touches,
// never the whole of vmlinux.
//
// A struct is declared *partially*: only the members the script uses, each at
// its real offset (explicit padding between them, unnamed bitfields for bit
// gaps), padded to the real size, under
// `#pragma clang attribute push(__attribute__((preserve_access_index)))`.
// CO-RE relocations are by member name, so libbpf resolves them against the
// running kernel whatever else the struct holds; and because the layout is
// also byte-exact for the kernel we read the BTF from, sizeof and copies of
// whole structs are right too. Every named member gets a `_Static_assert` of
// its offset so a layout mistake fails in clang, never at run time.
import type { Btf } from './btf.ts';
import { typeToC } from './ctype.ts';
import { headerIdentifiers, headerTags, headerTypedefs } from './header-names.ts';
import { BtfError, type BtfMember, type BtfType, type BtfTypeOf, type FoundMember, type TypeId } from './model.ts';

export interface CDeclarationOptions {
  /**
   * libbpf ignores a `___suffix` in type names when matching them against the
   * kernel; a kernel name that clashes with the headers or the unit's own
   * names is emitted as `name___<flavor>` (default `bs`).
   */
  flavor?: string;
  /** More identifiers the rest of the C unit declares (tags, typedefs, enumerators, macros). */
  reserved?: Iterable<string>;
  /** Emit `_Static_assert`s of member offsets and struct sizes (default true). */
  layoutAsserts?: boolean;
}

/** A root type and the member paths used from it (`[['parent', 'pid'], ['comm']]`). */
export interface DeclarationRoot {
  type: TypeId;
  paths?: readonly (readonly string[])[];
  /** Declare every member of the root struct/union (a whole value is printed or copied). */
  allMembers?: boolean;
}

type Composite = BtfTypeOf<'struct' | 'union'>;

export class CDeclarations {
  private readonly flavor: string;
  private readonly reserved: Set<string>;
  private readonly asserts: boolean;
  /** Used member indexes per struct/union id. */
  private readonly used = new Map<TypeId, Set<number>>();
  /** Types the unit spells or holds by value (declared complete). */
  private readonly wanted = new Set<TypeId>();
  private readonly tagNames = new Map<TypeId, string>();
  private readonly takenTags = new Set<string>();
  private readonly ordinaryNames = new Map<TypeId, string>(); // typedefs
  private readonly takenOrdinary = new Set<string>();
  private readonly enumerators = new Map<string, string>(); // `${enumId}:${name}` -> C name
  private inlinePads = 0; // numbers the padding of inline (anonymous) bodies

  constructor(
    readonly btf: Btf,
    opts: CDeclarationOptions = {},
  ) {
    this.flavor = opts.flavor ?? 'bs';
    this.reserved = new Set(opts.reserved ?? []);
    this.asserts = opts.layoutAsserts ?? true;
  }

  // ---- recording uses -------------------------------------------------------

  /**
   * Uses member `name` of a struct/union, or of what a pointer to one points
   * at (typedefs and qualifiers are looked through). Members of anonymous
   * struct/union members are found as in C. Throws a BtfError when absent.
   */
  useMember(typeId: TypeId, name: string): FoundMember {
    const structId = this.compositeOf(typeId);
    const found = this.btf.member(structId, name);
    if (!found) throw new BtfError(`${this.btf.describe(structId)} has no member named '${name}'`);
    for (const step of found.path) this.mark(step.structId, step.index);
    return found;
  }

  /** Uses a chain of members (`['cgroups', 'dfl_cgrp', 'kn', 'id']`), following pointers; one FoundMember per name. */
  usePath(typeId: TypeId, path: readonly string[]): FoundMember[] {
    const out: FoundMember[] = [];
    let current = typeId;
    for (const name of path) {
      const found = this.useMember(current, name);
      out.push(found);
      current = found.type;
    }
    return out;
  }

  /** Uses every member of a struct/union (through pointers, typedefs and qualifiers). */
  useAllMembers(typeId: TypeId): void {
    const structId = this.compositeOf(typeId);
    const t = this.btf.type(structId) as Composite;
    t.members.forEach((m, i) => {
      if (m.name !== '' || m.bitSize === 0) this.mark(structId, i);
    });
    for (const m of t.members) if (m.name === '' && isComposite(this.btf.resolve(m.type).type)) this.useAllMembers(m.type);
  }

  /** Declares a type so the unit can spell it (a struct by value is declared complete). */
  useType(typeId: TypeId): void {
    this.wanted.add(typeId);
  }

  /** The C spelling of a type for the unit's own code (`struct task_struct *`, `pid_t x`); declares it. */
  spell(typeId: TypeId, name = ''): string {
    this.useType(typeId);
    return this.declarator(typeId, name);
  }

  /** The C tag a struct/union/enum is declared under (after any `___flavor` renaming). */
  tagOf(typeId: TypeId): string {
    return this.tagName(this.btf.resolve(typeId).type);
  }

  private mark(structId: TypeId, index: number): void {
    let set = this.used.get(structId);
    if (!set) this.used.set(structId, (set = new Set()));
    set.add(index);
  }

  private compositeOf(typeId: TypeId): TypeId {
    let r = this.btf.resolve(typeId);
    if (r.type.kind === 'ptr') r = this.btf.resolve(r.type.type);
    if (r.type.kind === 'fwd') {
      const full = this.btf.findByName(r.type.union ? 'union' : 'struct', r.type.name);
      if (full !== undefined) r = this.btf.resolve(full);
    }
    if (!isComposite(r.type)) throw new BtfError(`${this.btf.describe(typeId)} is not a struct or union (or a pointer to one)`);
    return r.id;
  }

  // ---- names ----------------------------------------------------------------

  private clashes(name: string): boolean {
    return name.startsWith('bs_') || this.reserved.has(name) || headerIdentifiers().has(name);
  }

  private unique(base: string, taken: Set<string>, forceFlavor: boolean): string {
    let name = forceFlavor ? `${base}___${this.flavor}` : base;
    for (let n = 2; taken.has(name); n++) name = `${base}___${this.flavor}${n}`;
    taken.add(name);
    return name;
  }

  /** struct/union/enum tag; one tag namespace in C. */
  private tagName(t: BtfType): string {
    let name = this.tagNames.get(t.id);
    if (name === undefined) {
      if (t.name === '') name = `bs_kenum_${t.id}`; // only anonymous enums are named by us
      else name = this.unique(t.name, this.takenTags, this.clashes(t.name) || headerTags().has(t.name));
      this.tagNames.set(t.id, name);
    }
    return name;
  }

  /**
   * A typedef's name. One the headers also define gets a flavour too: the uapi
   * headers compiled for the BPF target do not always agree with the kernel
   * (`__kernel_size_t` is 4 bytes there, since __x86_64__ is not defined).
   */
  private typedefName(t: BtfType): string {
    let name = this.ordinaryNames.get(t.id);
    if (name === undefined) {
      name = this.unique(t.name, this.takenOrdinary, this.clashes(t.name) || headerTypedefs().has(t.name));
      this.ordinaryNames.set(t.id, name);
    }
    return name;
  }

  /** Enumerators are ordinary identifiers, like typedef names; `ours` are the emitter's own. */
  private enumeratorName(enumId: TypeId, name: string, ours = false): string {
    const key = `${enumId}:${name}`;
    let out = this.enumerators.get(key);
    if (out === undefined) {
      out = this.unique(name, this.takenOrdinary, !ours && this.clashes(name));
      this.enumerators.set(key, out);
    }
    return out;
  }

  private declarator(typeId: TypeId, name: string, indent = ''): string {
    return typeToC(this.btf, typeId, name, {
      paramNames: false, // a parameter name could be a header macro; types are all C needs
      spellNamed: (t) => {
        switch (t.kind) {
          case 'struct':
          case 'union':
            return t.name === '' ? this.inlineBody(t, indent) : `${t.kind} ${this.tagName(t)}`;
          case 'fwd':
            return `${t.union ? 'union' : 'struct'} ${this.tagName(t)}`;
          case 'enum':
          case 'enum64':
            return `enum ${this.tagName(t)}`;
          case 'typedef':
            return this.typedefName(t);
          default:
            return undefined;
        }
      },
    });
  }

  // ---- emitting -------------------------------------------------------------

  /** The declarations, to be placed after the unit's #includes and before its code. */
  emit(): string {
    return new Emission({
      btf: this.btf,
      used: this.used,
      wanted: this.wanted,
      asserts: this.asserts,
      tagName: (t) => this.tagName(t),
      typedefName: (t) => this.typedefName(t),
      enumeratorName: (enumId, name, ours) => this.enumeratorName(enumId, name, ours),
      declarator: (id, name) => this.declarator(id, name),
      body: (t) => this.body(t, ''),
    }).text();
  }

  private inlineBody(t: Composite, indent: string): string {
    return `${t.kind} ${this.body(t, indent)}`;
  }

  /** `{ members... }` with padding, plus `__attribute__((packed))` where needed. */
  private body(t: Composite, indent: string): string {
    const inner = `${indent}  `;
    // A nested (inline) body's members share the enclosing struct's names in C (anonymous members): its padding needs names of its own.
    const pad = indent === '' ? 'bs_pad' : `bs_pad_in${this.inlinePads++}`;
    const lines: string[] = [];
    const usedSet = this.used.get(t.id) ?? new Set<number>();
    const members = [...usedSet].map((i) => t.members[i]!).sort((a, b) => a.bitOffset - b.bitOffset);
    const decl = (m: BtfMember) => {
      const r = this.btf.resolve(m.type);
      // An anonymous member is always written as an untagged inline struct/union (C11).
      const text = m.name === '' && isComposite(r.type) ? this.inlineBody(r.type as Composite, inner) : this.declarator(m.type, m.name, inner);
      return m.bitSize ? `${text} : ${m.bitSize};` : `${text};`;
    };
    const packed = this.btf.isPacked(t.id) || members.some((m) => m.bitSize === 0 && m.bitOffset % (8 * this.localAlign(m.type)) !== 0);
    if (t.kind === 'union') {
      for (const m of members) lines.push(inner + decl(m));
      if (members.every((m) => this.btf.sizeof(m.type) < t.size)) lines.push(`${inner}char ${pad}[${t.size}];`);
    } else {
      let bit = 0;
      const padBytes = (to: number) => {
        bit = Math.ceil(bit / 8) * 8;
        if (to > bit) lines.push(`${inner}char ${pad}_${bit / 8}[${(to - bit) / 8}];`);
        bit = Math.max(bit, to);
      };
      for (const m of members) {
        if (m.bitSize === 0) {
          padBytes(m.bitOffset);
        } else {
          const byteStart = Math.floor(m.bitOffset / 8) * 8;
          if (byteStart >= Math.ceil(bit / 8) * 8) {
            if (bit % 8) lines.push(`${inner}unsigned char : ${8 - (bit % 8)};`);
            padBytes(byteStart);
          }
          if (m.bitOffset > bit) lines.push(`${inner}unsigned char : ${m.bitOffset - bit};`);
          bit = m.bitOffset;
        }
        lines.push(inner + decl(m));
        bit = m.bitOffset + (m.bitSize || this.btf.sizeof(m.type) * 8);
      }
      padBytes(t.size * 8);
    }
    return `{\n${lines.join('\n')}${lines.length ? '\n' : ''}${indent}}${packed ? ' __attribute__((packed))' : ''}`;
  }

  /** Alignment of the type as this emitter declares it (a partial struct aligns to its declared members). */
  private localAlign(typeId: TypeId): number {
    const r = this.btf.resolve(typeId).type;
    if (r.kind === 'array') return this.localAlign(r.type);
    if (!isComposite(r)) return this.btf.alignof(typeId);
    if (this.btf.isPacked(r.id)) return 1;
    let a = 1;
    for (const i of this.used.get(r.id) ?? []) a = Math.max(a, this.localAlign(r.members[i]!.type));
    return a;
  }
}

function isComposite(t: BtfType): t is Composite {
  return t.kind === 'struct' || t.kind === 'union';
}

/** One run of emit(): orders declarations so each complete type precedes its by-value uses. */
interface EmissionContext {
  btf: Btf;
  used: ReadonlyMap<TypeId, ReadonlySet<number>>;
  wanted: ReadonlySet<TypeId>;
  asserts: boolean;
  tagName(t: BtfType): string;
  typedefName(t: BtfType): string;
  enumeratorName(enumId: TypeId, name: string, ours?: boolean): string;
  declarator(id: TypeId, name: string): string;
  body(t: Composite): string;
}

class Emission {
  private readonly forward = new Set<TypeId>();
  private readonly done = new Set<TypeId>();
  private readonly out: string[] = [];
  private readonly assertLines: string[] = [];

  constructor(private readonly d: EmissionContext) {}

  text(): string {
    for (const [id] of this.d.used) this.need(id, true);
    for (const id of this.d.wanted) this.need(id, true);
    if (this.out.length === 0 && this.forward.size === 0) return '';
    const fwd = [...this.forward].map((id) => {
      const t = this.d.btf.type(id);
      const kind = t.kind === 'fwd' ? (t.union ? 'union' : 'struct') : t.kind;
      return `${kind} ${this.d.tagName(t)};`;
    });
    return [
      '/* Kernel types from BTF (only the members used), relocated by libbpf (CO-RE). */',
      '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)',
      ...fwd,
      ...this.out,
      '#pragma clang attribute pop',
      ...this.assertLines,
      '',
    ].join('\n');
  }

  /** Makes `id` spellable; `complete` when it is held by value. */
  private need(id: TypeId, complete: boolean): void {
    const btf = this.d.btf;
    const t = btf.type(id);
    switch (t.kind) {
      case 'void':
      case 'int':
      case 'float':
        return;
      case 'ptr':
        return this.need(t.type, false);
      case 'array':
        return this.need(t.type, true); // an array's element type must be complete, even behind a pointer
      case 'const':
      case 'volatile':
      case 'restrict':
      case 'type_tag':
      case 'var':
        return this.need(t.type, complete);
      case 'func':
        return this.need(t.type, false);
      case 'func_proto':
        this.need(t.returnType, false);
        for (const p of t.params) this.need(p.type, false);
        return;
      case 'typedef':
        this.typedef(t);
        if (complete) this.need(t.type, true);
        return;
      case 'enum':
      case 'enum64':
        return this.enumeration(t);
      case 'fwd': {
        const full = btf.findByName(t.union ? 'union' : 'struct', t.name);
        if (full !== undefined && btf.kindOf(full) !== 'fwd' && complete) return this.need(full, true);
        this.forward.add(id);
        return;
      }
      case 'struct':
      case 'union':
        if (t.name === '') return this.members(t); // written inline where used
        this.forward.add(id);
        if (complete) this.define(t);
        return;
      case 'datasec':
      case 'decl_tag':
        throw new BtfError(`${t.kind} '${t.name}' [${id}] cannot be declared in C`);
    }
  }

  private members(t: Composite): void {
    for (const i of this.d.used.get(t.id) ?? []) this.need(t.members[i]!.type, true);
  }

  private define(t: Composite): void {
    if (this.done.has(t.id)) return;
    this.done.add(t.id);
    this.members(t);
    const tag = `${t.kind} ${this.d.tagName(t)}`;
    this.out.push(`${tag} ${this.d.body(t)};`);
    if (!this.d.asserts) return;
    this.assertLines.push(`_Static_assert(sizeof(${tag}) == ${t.size}, "BTF size of ${tag}");`);
    for (const { name, bitOffset } of this.namedMembers(t, 0)) {
      this.assertLines.push(`_Static_assert(__builtin_offsetof(${tag}, ${name}) == ${bitOffset / 8}, "BTF offset of ${tag}.${name}");`);
    }
  }

  /** Used, named, non-bitfield members, those of anonymous members included (offsetof reaches them). */
  private namedMembers(t: Composite, base: number): { name: string; bitOffset: number }[] {
    const out: { name: string; bitOffset: number }[] = [];
    for (const i of this.d.used.get(t.id) ?? []) {
      const m = t.members[i]!;
      if (m.name !== '' && m.bitSize === 0) out.push({ name: m.name, bitOffset: base + m.bitOffset });
      if (m.name === '') {
        const r = this.d.btf.resolve(m.type).type;
        if (isComposite(r)) out.push(...this.namedMembers(r, base + m.bitOffset));
      }
    }
    return out;
  }

  private typedef(t: BtfTypeOf<'typedef'>): void {
    if (this.done.has(t.id)) return;
    this.done.add(t.id);
    const name = this.d.typedefName(t);
    this.need(t.type, false);
    const target = this.d.btf.resolve(t.type).type;
    if (isComposite(target) && target.name === '') this.members(target); // its body is written in the typedef
    this.out.push(`typedef ${this.d.declarator(t.type, name)};`);
  }

  private enumeration(t: BtfTypeOf<'enum' | 'enum64'>): void {
    if (this.done.has(t.id)) return;
    this.done.add(t.id);
    const tag = this.d.tagName(t);
    const values = t.values.map((v) => `  ${this.d.enumeratorName(t.id, v.name)} = ${cInteger(v.value)},`);
    // C has no empty enum; and an enum's size follows its values, so pin sizes the values alone do not give.
    const max = t.values.reduce((m, v) => (v.value > m ? v.value : m), 0n);
    const min = t.values.reduce((m, v) => (v.value < m ? v.value : m), 0n);
    if (t.values.length === 0) values.push(`  ${this.d.enumeratorName(t.id, `bs_kenum_${t.id}_none`, true)} = 0,`);
    if (t.size === 8 && max <= 0xffffffffn && min >= -0x80000000n) values.push(`  ${this.d.enumeratorName(t.id, `bs_kenum_${t.id}_wide`, true)} = ${t.signed ? '0x7fffffffffffffffLL' : '0xffffffffffffffffULL'},`);
    const packed = t.size < 4 ? ' __attribute__((packed))' : '';
    this.out.push(`enum ${tag} {\n${values.join('\n')}\n}${packed};`);
    if (this.d.asserts) this.assertLines.push(`_Static_assert(sizeof(enum ${tag}) == ${t.size}, "BTF size of enum ${tag}");`);
  }
}

function cInteger(v: bigint): string {
  if (v === -(1n << 63n)) return '(-0x7fffffffffffffffLL - 1)';
  if (v >= -(1n << 31n) && v < 1n << 31n) return v.toString();
  if (v < 0n) return `${v}LL`;
  return v < 1n << 63n ? `${v}LL` : `${v}ULL`;
}

/**
 * Declarations for the given roots and member paths, e.g.
 * `emitCDeclarations(btf, [{ type: taskStruct, paths: [['pid'], ['parent', 'pid']] }])`.
 * Returns the C text and the recorder, whose `spell()` names types for the unit's code.
 */
export function emitCDeclarations(btf: Btf, roots: readonly DeclarationRoot[], opts: CDeclarationOptions = {}): { text: string; decls: CDeclarations } {
  const decls = new CDeclarations(btf, opts);
  for (const root of roots) {
    decls.useType(root.type);
    for (const path of root.paths ?? []) decls.usePath(root.type, path);
    if (root.allMembers) decls.useAllMembers(root.type);
  }
  return { text: decls.emit(), decls };
}
