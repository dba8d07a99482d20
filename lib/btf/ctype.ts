// C spelling of BTF types with C's inside-out declarator syntax:
// `const char *`, `int x[16]`, `void (*cb)(int, char *)`, `char *const p`.
import type { Btf } from './btf.ts';
import { BtfError, type BtfType, type TypeId } from './model.ts';

export interface TypeToCOptions {
  /**
   * Spells a struct/union/enum/fwd/typedef by id: the declaration emitter
   * renames some (`___bs` flavours) and writes anonymous ones inline. Return
   * undefined for the default spelling.
   */
  spellNamed?: (t: BtfType) => string | undefined;
  /** How a btf_type_tag is written: a clang attribute (default) or left out. */
  typeTags?: 'attribute' | 'omit';
  /** Parameter names in function prototypes (default true). */
  paramNames?: boolean;
}

const MAX_DEPTH = 64;

export function typeToC(btf: Btf, id: TypeId, name = '', opts: TypeToCOptions = {}): string {
  return declare(btf, id, name, opts, 0);
}

function join(base: string, inner: string): string {
  if (inner === '') return base;
  return inner.startsWith('[') ? `${base}${inner}` : `${base} ${inner}`;
}

/** The kind under const/volatile/restrict/type_tag (typedefs stop it: they are spelled by name). */
function kindUnderQualifiers(btf: Btf, id: TypeId): BtfType['kind'] {
  for (let i = 0; i < MAX_DEPTH; i++) {
    const t = btf.type(id);
    if (t.kind !== 'const' && t.kind !== 'volatile' && t.kind !== 'restrict' && t.kind !== 'type_tag') return t.kind;
    id = t.type;
  }
  return 'void';
}

function declare(btf: Btf, id: TypeId, inner: string, opts: TypeToCOptions, depth: number): string {
  if (depth > MAX_DEPTH) throw new BtfError(`type ${id}: declarator nested too deeply`);
  const t = btf.type(id);
  const next = (target: TypeId, innerNext: string) => declare(btf, target, innerNext, opts, depth + 1);
  switch (t.kind) {
    case 'void':
      return join('void', inner);
    case 'int':
    case 'float':
      return join(t.name, inner);
    case 'struct':
    case 'union':
    case 'enum':
    case 'enum64':
    case 'fwd':
    case 'typedef': {
      const custom = opts.spellNamed?.(t);
      if (custom !== undefined) return join(custom, inner);
      if (t.kind === 'typedef') return join(t.name, inner);
      const tag = t.kind === 'fwd' ? (t.union ? 'union' : 'struct') : t.kind === 'enum64' ? 'enum' : t.kind;
      return join(t.name ? `${tag} ${t.name}` : `${tag} {...}`, inner);
    }
    case 'ptr': {
      const k = kindUnderQualifiers(btf, t.type);
      return next(t.type, k === 'array' || k === 'func_proto' ? `(*${inner})` : `*${inner}`);
    }
    case 'const':
    case 'volatile':
    case 'restrict': {
      const k = kindUnderQualifiers(btf, t.type);
      if (k === 'func_proto') return next(t.type, inner); // a qualified function type means nothing in C
      if (k === 'ptr' || t.kind === 'restrict') return next(t.type, inner === '' ? t.kind : `${t.kind} ${inner}`);
      return `${t.kind} ${next(t.type, inner)}`;
    }
    case 'type_tag':
      if (opts.typeTags === 'omit') return next(t.type, inner);
      return next(t.type, `__attribute__((btf_type_tag("${t.name}")))${inner === '' ? '' : ` ${inner}`}`);
    case 'array':
      return next(t.type, `${inner}[${t.length}]`);
    case 'func_proto': {
      const params = t.params.map((p) => declare(btf, p.type, opts.paramNames === false ? '' : p.name, opts, depth + 1));
      if (t.variadic) params.push('...');
      return next(t.returnType, `${inner}(${params.length ? params.join(', ') : 'void'})`);
    }
    case 'func':
      return next(t.type, inner || t.name);
    case 'var':
      return next(t.type, inner || t.name);
    case 'datasec':
    case 'decl_tag':
      throw new BtfError(`${t.kind} '${t.name}' [${id}] has no C type spelling`);
  }
}
