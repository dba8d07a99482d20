// C spellings of value types. Every non-integer value is a C struct so that
// values copy by assignment (strings, tuples, records, arrays alike); the
// layouts match core/types' layout rules, and each declared struct carries
// static asserts of its offsets so a mismatch fails at compile time.
import type { ValueType } from '../manifest/index.ts';
import { alignOf, typeName } from '../types/index.ts';
import type { KernelDeclarations } from '../../sdk/index.ts';

export class CTypeRegistry {
  private readonly names = new Map<string, string>();
  private readonly decls: string[] = [];
  private counter = 0;
  private kernelDecls: KernelDeclarations | undefined;

  constructor(private readonly kernelFactory?: () => KernelDeclarations) {}

  /** Kernel type declarations, created when the unit first uses a kernel type. */
  kernel(): KernelDeclarations {
    if (!this.kernelDecls) {
      if (!this.kernelFactory) throw new Error('kernel types are not available (no BTF)');
      this.kernelDecls = this.kernelFactory();
    }
    return this.kernelDecls;
  }

  /** The kernel declarations' C text, if any kernel type was used. */
  kernelDeclarations(): string {
    return this.kernelDecls?.emit() ?? '';
  }

  /** The C type name of `t`, declaring it on first use. */
  name(t: ValueType): string {
    switch (t.kind) {
      case 'int':
        return `${t.signed ? '__s' : '__u'}${t.size * 8}`;
      case 'bool':
        return '__u8';
      case 'pointer':
        return '__u64';
      case 'none':
        return 'void';
      default:
        break;
    }
    if (t.kind === 'struct' && t.btfId !== undefined) return this.kernel().spell(t.btfId);
    const key = t.kind === 'struct' ? `struct:${t.name}` : `${t.kind}:${typeName(t)}`;
    const known = this.names.get(key);
    if (known) return known;
    let cname: string;
    let body: string;
    switch (t.kind) {
      case 'string':
        cname = `struct bs_str_${t.size}`;
        body = `  char s[${t.size}];`;
        break;
      case 'buffer':
        cname = `struct bs_buf_${t.size}`;
        body = `  __u32 len;\n  __u8 data[${t.size}];`;
        break;
      case 'array':
        cname = `struct bs_arr_${this.counter++}`;
        body = `  ${this.name(t.element)} a[${t.length}];`;
        break;
      case 'tuple':
        cname = `struct bs_tuple_${this.counter++}`;
        body = this.fieldsWithPadding(t.elements.map((e, i) => ({ name: `f${i}`, type: e.type, offset: e.offset })), t.size);
        break;
      case 'record':
        cname = `struct bs_record_${this.counter++}`;
        body = this.fieldsWithPadding(t.fields.map((f) => ({ name: recordField(f.name), type: f.type, offset: f.offset })), t.size);
        break;
      case 'struct':
        cname = /^(struct|union) /.test(t.name) ? t.name : `struct ${t.name}`;
        body = cname.startsWith('union ') ? this.unionMembers(t.fields, t.size) : this.fieldsWithPadding(t.fields, t.size);
        break;
    }
    this.names.set(key, cname);
    const fieldNames = t.kind === 'tuple'
      ? t.elements.map((e, i) => [`f${i}`, e.offset] as const)
      : t.kind === 'record'
        ? t.fields.map((f) => [recordField(f.name), f.offset] as const)
        : t.kind === 'struct' ? declaredFields(t.fields).map((f) => [f.name, f.offset] as const) : [];
    const asserts = fieldNames.map(([n, o]) => `_Static_assert(__builtin_offsetof(${cname}, ${n}) == ${o}, "${cname}.${n}");`);
    // A layout C would not produce by itself (a script's packed struct) is declared packed: the padding is explicit anyway.
    const packed = t.kind === 'struct' && t.fields.some((f) => f.offset % alignOf(f.type) !== 0);
    this.decls.push(`${cname} {\n${body}\n}${packed ? ' __attribute__((packed))' : ''};\n${asserts.join('\n')}${asserts.length ? '\n' : ''}`);
    return cname;
  }

  private fieldsWithPadding(fields: { name: string; type: ValueType; offset: number }[], size: number): string {
    const lines: string[] = [];
    let at = 0;
    let pad = 0;
    for (const f of declaredFields(fields).sort((a, b) => a.offset - b.offset)) {
      if (f.offset > at) lines.push(`  __u8 __pad${pad++}[${f.offset - at}];`);
      lines.push(`  ${this.name(f.type)} ${f.name};`);
      at = f.offset + sizeOfC(f.type);
    }
    if (size > at) lines.push(`  __u8 __pad${pad++}[${size - at}];`);
    return lines.join('\n');
  }

  /** A union's members (all at offset 0), and a byte array that gives the union its size. */
  private unionMembers(fields: { name: string; type: ValueType }[], size: number): string {
    return [...declaredFields(fields).map((f) => `  ${this.name(f.type)} ${f.name};`), `  __u8 __size[${size}];`].join('\n');
  }

  /** Declarations of every type named so far, in dependency order. */
  declarations(): string {
    return this.decls.join('\n');
  }
}

/**
 * The members C declares: a member without a value type (a `float`) stays
 * undeclared, its bytes covered by the padding and the size around it.
 */
function declaredFields<F extends { type: ValueType }>(fields: readonly F[]): F[] {
  return fields.filter((f) => f.type.kind !== 'none');
}

function sizeOfC(t: ValueType): number {
  switch (t.kind) {
    case 'int': return t.size;
    case 'bool': return 1;
    case 'pointer': return 8;
    case 'string': return t.size;
    case 'buffer': return (4 + t.size + 3) & ~3;
    case 'none': return 0;
    default: return t.size;
  }
}

/** Record fields get a prefix so names like `int` or `char` stay valid C. */
export function recordField(name: string): string {
  return `r_${name}`;
}
