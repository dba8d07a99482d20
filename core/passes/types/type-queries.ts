// Types as values: written types resolved (`typeof(expr)` included), and the
// compile-time queries over them: sizeof, offsetof, typeinfo.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { int64, recordType, sizeOf, stringType, typeName, uint64 } from '../../types/index.ts';
import type { InstanceChecker } from './instance.ts';
import { isIntegerTypeName, resolveTypeExpr } from './type-expr.ts';

export function resolveType(c: InstanceChecker, t: A.TypeExpr): ValueType {
  return resolveTypeExpr(t, {
    typeofOf: (node) => {
      const r = typeOfTarget(c, node.target);
      c.result.typeofs.set(node, r);
      return r;
    },
    kernelTypes: c.opts.kernelTypes,
  });
}

/** The type of `sizeof(...)`, `typeinfo(...)` targets: a written type or an (unevaluated) expression. */
function typeOfTarget(c: InstanceChecker, target: A.TypeExpr | A.Expr): ValueType {
  if (isTypeNode(target)) return resolveType(c, target);
  if (target.kind === 'Identifier' && namesOnlyAType(c, target.name)) {
    return resolveType(c, { kind: 'NamedType', span: target.span, name: target.name });
  }
  const t = c.expr(target);
  if (target.kind === 'Variable') c.vars.markInspected(target);
  return t;
}

/**
 * A bare name inside `typeof()`/`sizeof()` parses as an expression; as
 * upstream, one that is no value but a type (`size_t`, a kernel typedef) is
 * that type.
 */
function namesOnlyAType(c: InstanceChecker, name: string): boolean {
  if (c.opts.builtins.get(name) || /^arg\d+$/.test(name) || ['args', 'retval', 'ctx'].includes(name)) return false;
  return isIntegerTypeName(name) || c.opts.kernelTypes?.byName(name) !== undefined;
}

function isTypeNode(n: { kind: string }): n is A.TypeExpr {
  return n.kind === 'NamedType' || n.kind === 'PointerType' || n.kind === 'ArrayType' || n.kind === 'TypeofType';
}

export function checkSizeof(c: InstanceChecker, e: A.Sizeof): ValueType {
  const t = typeOfTarget(c, e.target);
  c.result.constants.set(e, BigInt(sizeOf(t)));
  return uint64;
}

export function checkOffsetof(c: InstanceChecker, e: A.Offsetof): ValueType {
  let t = typeOfTarget(c, e.target);
  let offset = 0;
  for (const name of e.path) {
    if (t.kind !== 'record' && t.kind !== 'struct') throw errorAt(e.span, `offsetof() needs a struct or record, got '${typeName(t)}'`);
    const f = t.fields.find((x) => x.name === name);
    if (!f) throw errorAt(e.span, `'${typeName(t)}' has no field named '${name}'`);
    offset += f.offset;
    t = f.type;
  }
  c.result.constants.set(e, BigInt(offset));
  return uint64;
}

export function checkTypeinfo(c: InstanceChecker, e: A.Typeinfo): ValueType {
  const t = typeOfTarget(c, e.target);
  const fields: [string, bigint | string][] = [['btf_id', 0n], ['base_type', baseTypeName(t)], ['full_type', typeName(t)]];
  c.result.records.set(e, fields);
  return recordType(fields.map(([name, v]) => ({ name, type: typeof v === 'string' ? stringType(Buffer.byteLength(v) + 1) : int64 })));
}

/** typeinfo's `base_type`: the kind of a type in upstream's words. */
function baseTypeName(t: ValueType): string {
  switch (t.kind) {
    case 'int': return t.enumName ? 'enum' : 'int';
    case 'struct': return 'struct';
    default: return t.kind;
  }
}
