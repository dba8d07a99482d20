// What a C function of an imported unit looks like to a script: its
// parameters and result as script-side kinds, and a prototype for the
// generated program spelled so that libbpf's static linker accepts it as the
// same function. The linker compares the two BTF prototypes after skipping
// typedefs and qualifiers: ints by size, struct/union pointees by name only (a
// forward declaration matches the full type), so the prototype uses sized
// kernel ints (`__s32`) and forward-declared tags and needs none of the unit's
// typedefs or headers.
import { typeToC, type Btf, type FuncSignature, type TypeId } from '../../../lib/btf/index.ts';

export interface IntShape {
  size: 1 | 2 | 4 | 8;
  signed: boolean;
  bool: boolean;
}

export type CParam =
  | { kind: 'int'; name: string; decl: string; c: string; int: IntShape }
  | {
      kind: 'pointer';
      name: string;
      decl: string;
      c: string;
      /** Bytes the callee may touch through it, when the pointee has a size. */
      pointeeSize?: number;
      /** A `char *`-like parameter (1-byte pointee): script strings may be passed. */
      charLike: boolean;
      /** The pointee is const: the function only reads through it. */
      readOnly: boolean;
    };

export type CResult =
  | { kind: 'void' }
  | { kind: 'int'; int: IntShape }
  | { kind: 'pointer'; c: string; pointee: string };

export interface CFunctionShape {
  /** The C declaration as the unit wrote it, for messages: `int __strstr(const char *h, int n)`. */
  decl: string;
  params: CParam[];
  result: CResult;
  /** File-scope declarations the prototype needs (forward-declared tags, opaque stand-ins). */
  declarations: string[];
  /** `extern ... name(...) __attribute__((visibility("hidden")));` */
  prototype: string;
  /** Why a script cannot call it (a struct passed by value...); undefined when it can. */
  unsupported?: string;
}

class Unsupported extends Error {}

const intNames: Record<number, string> = { 1: '8', 2: '16', 4: '32', 8: '64' };

function intShape(btf: Btf, id: TypeId, what: string): IntShape {
  const t = btf.type(id);
  if (t.kind === 'int') {
    if (!(t.size in intNames)) throw new Unsupported(`${what} is a ${t.size * 8}-bit integer`);
    return { size: t.size as IntShape['size'], signed: t.signed, bool: t.bool };
  }
  throw new Unsupported(`${what} has type ${btf.typeToC(id)}`);
}

/** `T *` (`T **` when T is itself a pointer). */
function pointerTo(c: string): string {
  return c.endsWith('*') ? `${c}*` : `${c} *`;
}

function intC(s: IntShape): string {
  return `__${s.signed ? 's' : 'u'}${intNames[s.size]}`;
}

/** Spells one function's prototype; `tag` makes names of opaque stand-ins unique. */
class Speller {
  readonly declarations: string[] = [];
  private opaque = 0;

  constructor(private readonly btf: Btf, private readonly tag: string) {}

  /** A pointee, as the linker will compare it. */
  pointee(id: TypeId, what: string): { c: string; size?: number; charLike: boolean } {
    const r = this.btf.resolve(id);
    const t = r.type;
    switch (t.kind) {
      case 'void':
        return { c: 'void', charLike: false };
      case 'int': {
        const s = intShape(this.btf, r.id, what);
        return { c: intC(s), size: s.size, charLike: s.size === 1 };
      }
      case 'struct':
      case 'union': {
        const size = t.size;
        if (t.name) {
          this.declarations.push(`${t.kind} ${t.name};`);
          return { c: `${t.kind} ${t.name}`, size, charLike: false };
        }
        // An anonymous struct matches any anonymous struct behind a pointer.
        const name = `bs_opaque_${this.tag}_${this.opaque++}`;
        this.declarations.push(`typedef ${t.kind} { __u8 __bs_opaque; } ${name};`);
        return { c: name, size, charLike: false };
      }
      case 'fwd': {
        const kw = t.union ? 'union' : 'struct';
        this.declarations.push(`${kw} ${t.name};`);
        return { c: `${kw} ${t.name}`, charLike: false };
      }
      case 'ptr':
        return { c: pointerTo(this.pointee(t.type, what).c), size: 8, charLike: false };
      default:
        throw new Unsupported(`${what} points to ${this.btf.typeToC(id)}`);
    }
  }

  param(p: { name: string; type: TypeId }, index: number, decl: string): CParam {
    const what = `parameter ${index + 1} (${decl})`;
    const t = this.btf.resolve(p.type).type;
    if (t.kind === 'ptr') {
      const pointee = this.pointee(t.type, what);
      const readOnly = this.btf.resolve(t.type).isConst;
      return { kind: 'pointer', name: p.name, decl, c: pointerTo(pointee.c), pointeeSize: pointee.size, charLike: pointee.charLike, readOnly };
    }
    if (t.kind === 'struct' || t.kind === 'union') throw new Unsupported(`${what} is a ${t.kind} passed by value (BPF functions take at most 8-byte values)`);
    const int = intShape(this.btf, this.btf.resolveId(p.type), what);
    return { kind: 'int', name: p.name, decl, c: intC(int), int };
  }

  result(id: TypeId): CResult {
    const r = this.btf.resolve(id);
    const t = r.type;
    if (t.kind === 'void') return { kind: 'void' };
    if (t.kind === 'ptr') {
      const pointee = this.pointee(t.type, 'the result');
      return { kind: 'pointer', c: pointerTo(pointee.c), pointee: pointee.c };
    }
    return { kind: 'int', int: intShape(this.btf, r.id, 'the result') };
  }
}

function resultC(r: CResult): string {
  return r.kind === 'void' ? 'void' : r.kind === 'int' ? intC(r.int) : r.c;
}

/** The script-side shape of function `sig` of `btf`; `tag` must be unique among the functions of one program. */
export function describeFunction(btf: Btf, sig: FuncSignature, tag: string): CFunctionShape {
  const paramDecls = sig.params.map((p) => typeToC(btf, p.type, p.name));
  const decl = `${typeToC(btf, sig.returnType, `${sig.name}(${paramDecls.join(', ')}${sig.variadic ? ', ...' : ''})`)}`;
  const speller = new Speller(btf, tag);
  try {
    if (sig.variadic) throw new Unsupported('it is variadic');
    const params = sig.params.map((p, i) => speller.param(p, i, paramDecls[i]!));
    const result = speller.result(sig.returnType);
    // Parameter names are left out: the linker ignores them, and a name could be a macro of the program's headers.
    const cParams = params.length ? params.map((p) => p.c).join(', ') : 'void';
    const prototype = `extern ${resultC(result)} ${sig.name}(${cParams}) __attribute__((visibility("hidden")));`;
    return { decl, params, result, declarations: [...new Set(speller.declarations)], prototype };
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    return { decl, params: [], result: { kind: 'void' }, declarations: [], prototype: '', unsupported: e.message };
  }
}
