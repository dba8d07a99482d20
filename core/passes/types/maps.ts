// Maps: declarations, key types checked against earlier uses, value kinds
// (plain values and aggregations) set by assignments, and what a read yields.
// Map types are global across probe instances (the driver's fixed point).
import type * as A from '../../syntax/ast.ts';
import { errorAt, type Span } from '../../diagnostics/index.ts';
import { guarded } from '../../plugin-host/index.ts';
import type { MapValueKind, ValueType } from '../../manifest/index.ts';
import { int64, noneType, storageType, tupleType, typeName, uint64, unify, isInteger } from '../../types/index.ts';
import type { InstanceChecker } from './instance.ts';
import { pointerStep } from './members.ts';
import type { MapTypeInfo } from './typed-program.ts';

/** The value a map read yields (`@x`, `@x[k]`), given its value kind. */
export function mapReadType(v: MapValueKind): ValueType | undefined {
  switch (v.kind) {
    case 'plain':
      return v.type;
    case 'count':
      return uint64;
    case 'sum':
    case 'min':
    case 'max':
    case 'avg':
      return v.signed ? int64 : uint64;
    default:
      return undefined;
  }
}

function sameValueKind(a: MapValueKind, b: MapValueKind): boolean {
  return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function describeValue(v: MapValueKind): string {
  return v.kind === 'plain' ? typeName(v.type) : `${v.kind}_t`;
}

const mapDeclTypes = new Set(['hash', 'lruhash', 'percpuhash', 'percpulruhash']);

export function declareMap(decl: A.MapDecl, maps: Map<string, MapTypeInfo>): void {
  if (!mapDeclTypes.has(decl.mapType)) {
    throw errorAt(decl.span, `Invalid map type: ${decl.mapType}. Valid types are: ${[...mapDeclTypes].join(', ')}`);
  }
  let maxEntries: number | undefined;
  if (decl.args.length > 0) {
    const a = decl.args[0];
    if (a.kind !== 'Integer' || a.value <= 0n) throw errorAt(a.span, 'Map size must be a positive integer literal');
    maxEntries = Number(a.value);
  }
  if (maps.has(decl.map.name)) throw errorAt(decl.span, `Map ${decl.map.name} is declared twice`);
  maps.set(decl.map.name, { name: decl.map.name, span: decl.span, declared: { mapType: decl.mapType, maxEntries } });
}

/** `@m = v`, `@m[k] = v`, `@m += v`, `@m = count()`: the map's value kind from the assignment. */
export function assignToMap(c: InstanceChecker, s: A.Assign, target: A.MapRef | A.MapAccess): void {
  const mapRef = target.kind === 'MapRef' ? target : target.map;
  const keys = target.kind === 'MapAccess' ? target.keys : [];
  mapKey(c, mapRef, keys, target.span);
  const value = s.value;
  const builtin = value.kind === 'Call' ? c.opts.builtins.get(value.callee) : undefined;
  let kind: MapValueKind;
  if (builtin?.aggregate && value.kind === 'Call') {
    if (s.op !== '=') throw errorAt(s.span, `${value.callee}() can only be assigned with =`);
    c.result.builtins.set(value, builtin);
    const aggregate = builtin.aggregate;
    kind = guarded(builtin, `builtin ${value.callee}()`, 'aggregate.valueKind', value.span, () => aggregate.valueKind(value.args, c.checkContext(), value.span));
    c.result.exprTypes.set(value, noneType);
  } else {
    const t = c.expr(value);
    if (t.kind === 'none') throw errorAt(value.span, 'Value has no type and cannot be assigned to a map');
    const existing = c.maps.get(mapRef.name)?.value;
    if (s.op !== '=' && existing?.kind === 'plain' && existing.type.kind === 'pointer' && isInteger(t) && (s.op === '+=' || s.op === '-=')) {
      // `@p += n` moves a pointer by n elements, as in C.
      c.result.pointerSteps.set(s, pointerStep(c, existing.type));
      kind = existing;
    } else if (s.op !== '=') {
      if (!isInteger(t)) throw errorAt(s.span, `The ${s.op} operator needs integer operands`);
      kind = existing && existing.kind !== 'plain' ? existing : { kind: 'plain', type: int64 };
      if (existing && existing.kind !== 'plain' && !['count', 'sum', 'min', 'max'].includes(existing.kind)) {
        throw errorAt(s.span, `The ${s.op} operator cannot be used on a map of type ${describeValue(existing)}`);
      }
    } else kind = { kind: 'plain', type: storageType(t) };
  }
  setMapValue(c, mapRef, kind, s.span);
}

function setMapValue(c: InstanceChecker, ref: A.MapRef, kind: MapValueKind, span: Span): void {
  const m = c.maps.get(ref.name)!;
  if (!m.value) {
    m.value = kind;
    return;
  }
  if (m.value.kind === 'plain' && kind.kind === 'plain') {
    const u = unify(m.value.type, kind.type);
    if (!u) {
      throw errorAt(span, `Type mismatch for ${ref.name}: trying to assign value of type '${typeName(kind.type)}' when map already contains a value of type '${typeName(m.value.type)}'`);
    }
    m.value = { kind: 'plain', type: u };
    return;
  }
  if (!sameValueKind(m.value, kind)) {
    throw errorAt(span, `Type mismatch for ${ref.name}: trying to assign value of type '${describeValue(kind)}' when map already contains a value of type '${describeValue(m.value)}'`);
  }
}

/** Checks a map's key against earlier uses; returns the (storage) key type. */
export function mapKey(c: InstanceChecker, ref: A.MapRef, keys: A.Expr[], span: Span): ValueType | undefined {
  let m = c.maps.get(ref.name);
  if (!m) {
    m = { name: ref.name, span: ref.span };
    c.maps.set(ref.name, m);
  }
  const keyed = keys.length > 0;
  if (m.keyed === undefined) m.keyed = keyed;
  else if (m.keyed !== keyed) {
    throw errorAt(span, m.keyed
      ? `${ref.name} used as a map without an explicit key (scalar map), previously used with an explicit key (non-scalar map)`
      : `${ref.name} used as a map with an explicit key (non-scalar map), previously used without an explicit key (scalar map)`);
  }
  if (!keyed) return undefined;
  const written = keys.map((k) => {
    const t = c.expr(k);
    if (t.kind === 'none') throw errorAt(k.span, 'Value has no type and cannot be a map key');
    return t;
  });
  const types = written.map(storageType);
  const keyType = types.length === 1 ? types[0]! : tupleType(types);
  // Messages name several keys by their own types, as a tuple of them would be.
  const asWritten = written.length === 1 ? keyType : tupleType(written);
  if (!m.keyType) {
    m.keyType = keyType;
    m.keyWritten = asWritten;
  } else {
    const u = unify(m.keyType, keyType);
    if (!u) {
      throw errorAt(span, `Argument mismatch for ${ref.name}: trying to access with arguments: '${typeName(asWritten)}' when map expects arguments: '${typeName(m.keyWritten ?? m.keyType)}'`);
    }
    m.keyType = u;
  }
  return m.keyType;
}

/** `@m`, `@m[k]` read in a probe. Before the final round an untyped map reads as int64. */
export function mapRead(c: InstanceChecker, e: A.MapRef | A.MapAccess): ValueType {
  const ref = e.kind === 'MapRef' ? e : e.map;
  mapKey(c, ref, e.kind === 'MapAccess' ? e.keys : [], e.span);
  const m = c.maps.get(ref.name)!;
  if (!m.value) {
    if (c.strict) throw errorAt(ref.span, `Undefined map: ${ref.name}`);
    return int64;
  }
  const t = mapReadType(m.value);
  if (!t) throw errorAt(e.span, `Map value of type ${describeValue(m.value)} cannot be read in a probe; print it instead`);
  return t;
}
