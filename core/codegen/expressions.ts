// Expressions: C expressions with value semantics. Values the type pass
// folded are literals; the rest dispatch by kind to their family (operators,
// maps, member reads, conversions) or are built here (literals, identifiers
// and calls, tuples and records, indexing, conditionals, block expressions).
import type * as A from '../syntax/ast.ts';
import { errorAt } from '../diagnostics/index.ts';
import { pluginC } from './plugin-c.ts';
import type { ValueType } from '../manifest/index.ts';
import { isInteger } from '../types/index.ts';
import { bigAggregate } from './big-values.ts';
import { recordField } from './ctypes.ts';
import type { ProbeEmitter } from './emitter.ts';
import { cString, intLiteral } from './literals.ts';
import { mapRead } from './map-access.ts';
import { fieldAccess } from './members.ts';
import { RUNTIME_ERRORS, runtimeError } from './events.ts';
import { readElementInMemory, readPointee } from './memory-reads.ts';
import { binary, unary, update } from './operators.ts';
import { settingExitFlag } from './exit-flag.ts';

export function emitExpr(em: ProbeEmitter, e: A.Expr): string {
  const folded = foldedValue(em, e);
  if (folded !== undefined) return folded;
  switch (e.kind) {
    case 'Integer':
      return intLiteral(e.value, e.value <= 0x7fffffffffffffffn);
    case 'String':
      return `((${em.ctypes.name(em.typeOf(e))}){ .s = ${cString(e.value)} })`;
    case 'Bool':
      return e.value ? '((__u8)1)' : '((__u8)0)';
    case 'Variable':
      return em.variable(e);
    case 'PositionalParam': {
      const t = em.typeOf(e);
      const value = em.state.positional[e.index - 1] ?? '';
      return t.kind === 'string' ? `((${em.ctypes.name(t)}){ .s = ${cString(value)} })` : `${BigInt(value || '0')}LL`;
    }
    case 'ParamCount':
      return `${em.state.positional.length}LL`;
    case 'MapRef':
    case 'MapAccess':
      return mapRead(em, e);
    case 'Identifier':
      return identifier(em, e);
    case 'Call': {
      const b = em.types.builtins.get(e);
      if (!b) throw errorAt(e.span, `internal: unresolved call ${e.callee}`);
      const c = pluginC(em.state, b, `builtin ${e.callee}()`, 'emit', e.span, () => b.emit(e.args, em.emitContext(), e.span));
      return b.endsProbe ? settingExitFlag(em.state, c) : c;
    }
    case 'Binary':
      return binary(em, e);
    case 'Unary':
      return unary(em, e);
    case 'Update':
      return update(em, e);
    case 'Ternary':
      return ternary(em, e);
    case 'FieldAccess':
      return fieldAccess(em, e);
    case 'TupleIndex':
      return `(${em.expr(e.object)}).f${e.index}`;
    case 'Index':
      return index(em, e);
    case 'Cast': {
      const t = em.typeOf(e);
      return em.convert(em.expr(e.expr), em.typeOf(e.expr), t, true);
    }
    case 'Tuple':
      return tuple(em, e);
    case 'Record':
      return record(em, e);
    case 'BlockExpr':
      return blockExpr(em, e);
    case 'IfExpr':
      return ifExpr(em, e);
    case 'Comptime': {
      const inner = e.expr;
      if (inner.kind === 'Ternary' && em.types.comptimeBranches.has(inner)) {
        return em.expr(em.types.comptimeBranches.get(inner) ? inner.then! : inner.else);
      }
      return em.expr(inner);
    }
    default:
      throw errorAt(e.span, `${e.kind} cannot be compiled here`);
  }
}

/** A literal for a value the type pass folded (integers, bools, strings, records of constants); undefined otherwise. */
function foldedValue(em: ProbeEmitter, e: A.Expr): string | undefined {
  const constant = em.types.constants.get(e);
  const t = em.types.exprTypes.get(e);
  if (constant !== undefined && t && isInteger(t)) return intLiteral(constant, t.signed);
  if (constant !== undefined && t?.kind === 'bool') return constant ? '((__u8)1)' : '((__u8)0)';
  const str = em.types.strings.get(e);
  if (str !== undefined && t?.kind === 'string') return stringLiteral(em, str, t);
  const rec = em.types.records.get(e);
  if (rec && t?.kind === 'record') {
    const parts = t.fields.map((f, i) => {
      const v = rec[i][1];
      return `.${recordField(f.name)} = ${typeof v === 'string' ? stringLiteral(em, v, f.type) : intLiteral(v, true)}`;
    });
    return `((${em.ctypes.name(t)}){ ${parts.join(', ')} })`;
  }
  return undefined;
}

function stringLiteral(em: ProbeEmitter, value: string, t: ValueType): string {
  return `((${em.ctypes.name(t)}){ .s = ${cString(value)} })`;
}

/** A builtin without arguments (`pid`), or a value of the provider's context (`args`). */
function identifier(em: ProbeEmitter, e: A.Identifier): string {
  const b = em.types.builtins.get(e);
  if (b) return pluginC(em.state, b, `builtin ${e.name}`, 'emit', e.span, () => b.emit([], em.emitContext(), e.span));
  const c = em.types.context.get(e);
  if (c) {
    em.ctypes.name(c.type); // declares the context struct (e.g. tracepoint args)
    return c.cValue ?? c.c;
  }
  throw errorAt(e.span, `internal: unresolved identifier ${e.name}`);
}

/** `c ? a : b`, and `a ?: b` (the condition's value when it is non-zero). */
function ternary(em: ProbeEmitter, e: A.Ternary): string {
  const t = em.typeOf(e);
  if (!e.then) {
    const c = em.name('elv');
    em.temps.push(`${em.ctypes.name(t)} ${c} = ${em.zeroInit(t)}`);
    return `((${c} = ${em.convert(em.expr(e.cond), em.typeOf(e.cond), t)}) ? ${c} : ${em.convert(em.expr(e.else), em.typeOf(e.else), t)})`;
  }
  if (t.kind === 'none') return `((${em.cond(e.cond)}) ? (void)(${em.expr(e.then)}) : (void)(${em.expr(e.else)}))`;
  if (em.isBig(t)) return `(*((${em.cond(e.cond)}) ? &(${em.convert(em.expr(e.then), em.typeOf(e.then), t)}) : &(${em.convert(em.expr(e.else), em.typeOf(e.else), t)})))`;
  return `((${em.cond(e.cond)}) ? ${em.convert(em.expr(e.then), em.typeOf(e.then), t)} : ${em.convert(em.expr(e.else), em.typeOf(e.else), t)})`;
}

/**
 * `x[i]`: memory behind a pointer, a tuple element (constant index), an
 * element of an array in memory (read alone, so arrays of any length, flexible
 * ones included, read right), or a bounds-checked element of a string or
 * array value. An array index out of bounds warns at run time.
 */
function index(em: ProbeEmitter, e: A.Index): string {
  const ot = em.typeOf(e.object);
  if (ot.kind === 'pointer') return readPointee(em, e.object, em.expr(e.index), em.typeOf(e));
  if (ot.kind === 'tuple') return `(${em.expr(e.object)}).f${em.types.constants.get(e.index)}`;
  const inMemory = ot.kind === 'array' ? readElementInMemory(em, e) : undefined;
  if (inMemory !== undefined) return inMemory;
  const idx = em.name('idx');
  const obj = em.name('obj');
  const len = ot.kind === 'string' ? ot.size : ot.kind === 'array' ? ot.length : 0;
  const member = ot.kind === 'string' ? 's' : 'a';
  const t = em.typeOf(e);
  const zero = `(${em.ctypes.name(t)})${em.zeroInit(t)}`;
  const constant = em.types.constants.get(e.index);
  const inRange = constant !== undefined && constant >= 0n && constant < BigInt(len);
  const outside = ot.kind === 'array' && !inRange ? `(${runtimeError(em, RUNTIME_ERRORS.arrayOutOfBounds, e.span)}, ${zero})` : zero;
  // A big value is read where it is.
  if (em.isBig(ot)) return `({ ${em.ctypes.name(ot)} *${obj} = &(${em.expr(e.object)}); __u64 ${idx} = ${em.expr(e.index)}; ${idx} < ${len} ? ${obj}->${member}[${idx}] : ${outside}; })`;
  return `({ ${em.ctypes.name(ot)} ${obj} = ${em.expr(e.object)}; __u64 ${idx} = ${em.expr(e.index)}; ${idx} < ${len} ? ${obj}.${member}[${idx}] : ${outside}; })`;
}

function tuple(em: ProbeEmitter, e: A.Tuple): string {
  const t = em.typeOf(e);
  if (t.kind !== 'tuple') throw errorAt(e.span, 'internal: tuple type');
  const values = e.elements.map((x, i) => em.convert(em.expr(x), em.typeOf(x), t.elements[i].type));
  if (em.isBig(t)) return bigAggregate(em, t, values.map((c, i) => ({ member: `f${i}`, type: t.elements[i].type, c })));
  const parts = values.map((c, i) => `.f${i} = ${c}`);
  return `((${em.ctypes.name(t)}){ ${parts.join(', ')} })`;
}

function record(em: ProbeEmitter, e: A.Record): string {
  const t = em.typeOf(e);
  if (t.kind !== 'record') throw errorAt(e.span, 'internal: record type');
  const values = e.fields.map((f, i) => em.convert(em.expr(f.value), em.typeOf(f.value), t.fields[i].type));
  if (em.isBig(t)) return bigAggregate(em, t, values.map((c, i) => ({ member: recordField(e.fields[i].name), type: t.fields[i].type, c })));
  const parts = values.map((c, i) => `.${recordField(e.fields[i].name)} = ${c}`);
  return `((${em.ctypes.name(t)}){ ${parts.join(', ')} })`;
}

/** A block expression: its statements are emitted in a nested C statement expression. */
function blockExpr(em: ProbeEmitter, e: A.BlockExpr): string {
  const saved = em.lines.length;
  const savedIndent = em.indent;
  em.indent = 0;
  em.block(e.statements);
  const body = em.lines.splice(saved).join(' ');
  em.indent = savedIndent;
  const value = e.value ? em.expr(e.value) : '0';
  // A big value stays an lvalue (it is copied and compared where it is).
  if (e.value && em.isBig(em.typeOf(e))) return `(*({ ${body} &(${value}); }))`;
  return `({ ${body} ${value}; })`;
}

/** `if c { a } else { b }` as a value; with `comptime` only the branch the type pass kept. */
function ifExpr(em: ProbeEmitter, e: A.IfExpr): string {
  const t = em.typeOf(e);
  const taken = em.types.comptimeBranches.get(e);
  if (taken !== undefined) {
    const branch = taken ? e.then : e.else;
    return em.convert(branch.kind === 'IfExpr' ? em.expr(branch) : blockExpr(em, branch), em.typeOf(branch), t);
  }
  const elseC = e.else.kind === 'IfExpr' ? em.expr(e.else) : blockExpr(em, e.else);
  const thenC = em.convert(blockExpr(em, e.then), em.typeOf(e.then), t);
  if (em.isBig(t)) return `(*((${em.cond(e.cond)}) ? &(${thenC}) : &(${em.convert(elseC, em.typeOf(e.else), t)})))`;
  return `((${em.cond(e.cond)}) ? ${thenC} : ${em.convert(elseC, em.typeOf(e.else), t)})`;
}
