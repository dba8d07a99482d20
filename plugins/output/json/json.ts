// JSON text as bpftrace writes it, byte for byte: objects spaced (`{"a": 1, "b": 2}`),
// arrays not (`[1,2]`), the same string escapes, and integers that a double cannot
// hold exactly written as strings. Values (print(), map values) follow their types:
// tuples and arrays as arrays, records and structs as objects, enums and pointers
// as their numbers, buffers as arrays of byte values.
import type { Value, ValueType } from '../../../core/manifest/index.ts';
import { isRecord } from '../../../lib/render/index.ts';
import { types } from '../../../sdk/index.ts';

/**
 * A JSON string with bpftrace's escapes: `"` `\` newline, CR and tab by
 * letter, other control characters as `\u00XX`; everything else as it is.
 */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code <= 0x1f) out += '\\u' + code.toString(16).padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

/**
 * An integer as a JSON number when a double holds it exactly, else as a
 * string (`"18446744073709551615"`), so parsers never silently round it.
 */
export function jsonInt(v: bigint): string {
  return BigInt(Number(v)) === v ? v.toString() : `"${v}"`;
}

/** `{"k": v, "k2": v2}`: keys escaped, values already JSON. */
export function jsonObject(fields: readonly (readonly [string, string])[]): string {
  return '{' + fields.map(([k, v]) => `${jsonString(k)}: ${v}`).join(', ') + '}';
}

/** `[a,b]`: items already JSON, no spaces (as bpftrace). */
export function jsonArray(items: readonly string[]): string {
  return '[' + items.join(',') + ']';
}

/** One message line: `{"type": "T", "data": D}` and a newline. */
export function jsonMessage(type: string, data: string): string {
  return jsonObject([['type', jsonString(type)], ['data', data]]) + '\n';
}

/** A value whose JS shape does not match its type (never expected): the closest JSON, never a throw. */
function looseJson(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return jsonInt(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return jsonString(value);
  if (value instanceof Uint8Array) return jsonArray([...value].map(String));
  if (Array.isArray(value)) return jsonArray(value.map(looseJson));
  return jsonObject(value.fields.map(([n, v]) => [n, looseJson(v)]));
}

/**
 * The JSON of a value of this type. `div` divides plain integers (also inside
 * tuples, records and arrays), as print(@m, top, div) does; enums, pointers
 * and everything else are never divided.
 */
export function jsonValue(value: Value, type: ValueType, div = 1n): string {
  switch (type.kind) {
    case 'int':
      if (typeof value !== 'bigint') break;
      // Enums are their number in JSON (bpftrace keeps this for parsers), read as unsigned.
      if (type.enumName) return jsonInt(BigInt.asUintN(type.size * 8, value));
      return jsonInt(div > 1n ? value / div : value);
    case 'bool':
      if (typeof value !== 'boolean') break;
      return String(value);
    case 'string':
      if (typeof value !== 'string') break;
      return jsonString(value);
    case 'buffer':
      if (!(value instanceof Uint8Array)) break;
      return jsonArray([...value].map(String));
    case 'pointer':
      if (typeof value !== 'bigint') break;
      return jsonInt(BigInt.asUintN(64, value));
    case 'tuple':
      if (!Array.isArray(value)) break;
      return jsonArray(type.elements.map((e, i) => jsonValue(value[i] ?? null, e.type, div)));
    case 'record':
    case 'struct':
      if (!isRecord(value)) break;
      return jsonObject(types.shownFields(type).map((f, i) => [f.name, jsonValue(value.fields[i]?.[1] ?? null, f.type, div)]));
    case 'array':
      if (!Array.isArray(value)) break;
      return jsonArray(value.map((v) => jsonValue(v, type.element, div)));
    case 'none':
      return 'null';
  }
  return looseJson(value);
}
