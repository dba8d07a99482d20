// Tuple and record literals: `(1, "a")`, `(name = v, ...)`.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { recordType, tupleType } from '../../types/index.ts';
import type { InstanceChecker } from './instance.ts';

export function checkTuple(c: InstanceChecker, e: A.Tuple): ValueType {
  return tupleType(e.elements.map((x) => {
    const t = c.expr(x);
    if (t.kind === 'none') throw errorAt(x.span, 'Value has no type and cannot be a tuple element');
    return t;
  }));
}

export function checkRecord(c: InstanceChecker, e: A.Record): ValueType {
  const names = new Set<string>();
  for (const f of e.fields) {
    if (names.has(f.name)) throw errorAt(f.span, `Duplicate field name: ${f.name}`);
    names.add(f.name);
  }
  return recordType(e.fields.map((f) => ({ name: f.name, type: c.expr(f.value) })));
}
