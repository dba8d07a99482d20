// Literals, positional parameters and identifiers (builtins by name, the
// provider's context values like `args`, then the last-resort fallback).
import type * as A from '../../syntax/ast.ts';
import { CompileError, errorAt, type Span } from '../../diagnostics/index.ts';
import type { ContextValue } from '../../../sdk/index.ts';
import { guarded } from '../../plugin-host/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { boolType, int64, stringType, uint64 } from '../../types/index.ts';
import { builtinIdentifier } from './calls.ts';
import { positionalInteger } from '../positional/index.ts';
import type { InstanceChecker } from './instance.ts';

export type Literal = A.Integer | A.StringLit | A.Bool | A.PositionalParam | A.ParamCount;

export function checkLiteral(c: InstanceChecker, e: Literal): ValueType {
  switch (e.kind) {
    case 'Integer':
      c.result.constants.set(e, e.value);
      return literalType(e.value);
    case 'String':
      c.result.strings.set(e, e.value);
      return stringValueType(c, e.value, e.span);
    case 'Bool':
      return boolType;
    case 'PositionalParam': {
      const v = c.opts.positional[e.index - 1] ?? '';
      const n = positionalInteger(v);
      if (n !== undefined) {
        c.result.constants.set(e, n);
        return n > I64_MAX ? uint64 : int64;
      }
      return stringValueType(c, v, e.span);
    }
    case 'ParamCount':
      c.result.constants.set(e, BigInt(c.opts.positional.length));
      return int64;
  }
}

const I64_MAX = (1n << 63n) - 1n;

/** Upstream's intrinsic spellings of the providers' context values: `__builtin_retval` is `retval`. */
const contextSpellings: ReadonlyMap<string, string> = new Map([['__builtin_retval', 'retval']]);

export function checkIdentifier(c: InstanceChecker, e: A.Identifier): ValueType {
  const builtin = c.opts.builtins.get(e.name);
  if (builtin) return builtinIdentifier(c, e, builtin);
  const name = contextSpellings.get(e.name) ?? e.name;
  const ctxValue = contextValue(c, name, e.span);
  if (ctxValue) {
    c.result.context.set(e, ctxValue);
    return ctxValue.type;
  }
  if (name === 'ctx' && c.inst.provider.name === 'tracepoint') throw errorAt(e.span, 'Use args instead of ctx in tracepoint');
  if (/^arg\d+$/.test(name) || name === 'args' || name === 'retval' || name === 'ctx') {
    throw errorAt(e.span, `The ${name} builtin can not be used with '${c.inst.provider.name}' probes`);
  }
  const fallback = c.opts.fallbackIdentifier?.(e.name);
  if (fallback) return builtinIdentifier(c, e, fallback);
  throw errorAt(e.span, `Unknown identifier: '${e.name}'`);
}

/**
 * The type of a string the script writes (a literal, or `$1` given as text).
 * As upstream, it must fit max_strlen, the size of every string a BPF program
 * holds: a longer one could not be kept on the 512-byte BPF stack, nor copied
 * into an event.
 */
function stringValueType(c: InstanceChecker, value: string, span: Span): ValueType {
  const size = Buffer.byteLength(value, 'latin1') + 1;
  const max = c.opts.config.maxStrlen;
  if (size > max) {
    const shown = value.length > 80 ? `${value.slice(0, 80)}...` : value;
    throw errorAt(span, `String is too long (over ${max} bytes): ${shown}`);
  }
  return stringType(size);
}

/** The provider's meaning of a context identifier; an error it reports without a place is placed at the identifier. */
function contextValue(c: InstanceChecker, name: string, span: Span): ContextValue | undefined {
  const { provider, expanded } = c.inst;
  try {
    return guarded(provider, `provider "${provider.name}"`, 'contextValue', span, () => provider.contextValue?.(name, expanded, c.opts.env));
  } catch (err) {
    if (err instanceof CompileError && err.diagnostics.every((d) => !d.span)) throw new CompileError(err.diagnostics.map((d) => ({ ...d, span })));
    throw err;
  }
}

/** An integer literal, possibly negated: it types a new variable as int64, not int8. */
export function isLiteralValue(e: A.Expr): boolean {
  return e.kind === 'Integer' || (e.kind === 'Unary' && e.op === '-' && e.operand.kind === 'Integer');
}

/** Upstream types a literal as the smallest signed integer that holds it (uint64 past int64). */
export function literalType(v: bigint): ValueType {
  if (v > 0x7fffffffffffffffn) return uint64;
  for (const size of [1, 2, 4] as const) {
    const bits = BigInt(size * 8 - 1);
    if (v >= -(1n << bits) && v < 1n << bits) return { kind: 'int', size, signed: true };
  }
  return int64;
}
