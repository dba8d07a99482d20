// Values only user space can print: integers whose type carries a render tag
// (`IntType.render`: strftime() timestamps, ksym() addresses, kstack ids...)
// become what the ValueRenderer of the tag's kind makes of them, wherever they
// sit (tuples, records, arrays, map keys and values), before any output format
// sees them, so text and JSON print the same text.
import type { MapSnapshot, ShownValue } from '../../sdk/index.ts';
import type { MapValueKind, RenderTag, ValueType } from '../manifest/index.ts';
import { shownFields } from '../types/index.ts';

/** Renders one tagged integer, or a tagged tuple's integers (`more`: all but the first), by the session's renderer of the tag's kind. */
export type RenderInt = (value: bigint, tag: RenderTag, more?: readonly bigint[]) => ShownValue;

/** Whether a value of this type holds a tagged integer anywhere. */
export function hasRenderTag(t: ValueType | undefined): boolean {
  if (!t) return false;
  switch (t.kind) {
    case 'int':
      return t.render !== undefined;
    case 'tuple':
      return t.render !== undefined || t.elements.some((e) => hasRenderTag(e.type));
    case 'record':
    case 'struct':
      return t.fields.some((f) => hasRenderTag(f.type));
    case 'array':
      return hasRenderTag(t.element);
    default:
      return false;
  }
}

/** The value with its tagged integers rendered, and the type that describes it now. */
export function renderValue(value: unknown, type: ValueType, render: RenderInt): ShownValue {
  if (!hasRenderTag(type)) return { value, type };
  switch (type.kind) {
    case 'int':
      return render(BigInt(value as bigint), type.render!);
    case 'tuple': {
      if (type.render) {
        const [first, ...more] = (value as unknown[]).map((v) => BigInt(v as bigint));
        return render(first ?? 0n, type.render, more);
      }
      const parts = type.elements.map((e, i) => renderValue((value as unknown[])[i], e.type, render));
      return { value: parts.map((p) => p.value), type: { ...type, elements: type.elements.map((e, i) => ({ ...e, type: parts[i]!.type })) } };
    }
    case 'record':
    case 'struct': {
      const rec = value as { kind: 'record'; fields: [string, unknown][] };
      // The value holds every shown member (a struct's bitfields too); the type's fields are the non-bitfield ones.
      const parts = shownFields(type).map((f, i) => renderValue(rec.fields[i]?.[1], f.type, render));
      const shownType = new Map(rec.fields.map(([n], i) => [n, parts[i]!.type]));
      return {
        value: { ...rec, fields: rec.fields.map(([n], i) => [n, parts[i]!.value]) },
        type: { ...type, fields: type.fields.map((f) => ({ ...f, type: shownType.get(f.name) ?? f.type })) },
      };
    }
    case 'array': {
      const parts = (value as unknown[]).map((v) => renderValue(v, type.element, render));
      return { value: parts.map((p) => p.value), type: { ...type, element: parts[0]?.type ?? type.element } };
    }
    default:
      return { value, type };
  }
}

/** A map snapshot with the tagged integers of its keys and plain values rendered. */
export function renderSnapshot(snap: MapSnapshot, render: RenderInt): MapSnapshot {
  const value = snap.info.value;
  const keyed = hasRenderTag(snap.info.keyType);
  const valued = value.kind === 'plain' && hasRenderTag(value.type);
  if (!keyed && !valued) return snap;
  let keyType = snap.info.keyType;
  let valueKind: MapValueKind = value;
  const entries = snap.entries.map((e) => {
    const k = keyed && snap.info.keyType ? renderValue(e.key, snap.info.keyType, render) : { value: e.key, type: keyType };
    const v = valued && value.kind === 'plain' ? renderValue((e.value as { value: unknown }).value, value.type, render) : undefined;
    keyType = k.type;
    if (v) valueKind = { kind: 'plain', type: v.type };
    return { key: k.value, value: v ? { ...(e.value as object), value: v.value } : e.value };
  });
  return { info: { ...snap.info, keyType, value: valueKind }, entries };
}
