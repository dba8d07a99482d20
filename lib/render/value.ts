// One value as bpftrace's text output prints it (print(), map keys and values,
// printf's %s): integers in decimal, enums by name, strings unquoted, tuples
// `(1, a)`, records `{ .a = 1 }`, arrays `[1,2]`, pointers `0x..`, buffers with
// `\xNN` escapes.
import type { RecordValue, Value, ValueType } from '../../core/manifest/index.ts';
import { types } from '../../sdk/index.ts';

/** Enum value names by enum name: `enumNames.get('state')?.get(1n) === 'RUNNING'`. */
export type EnumNames = ReadonlyMap<string, ReadonlyMap<bigint, string>>;

export interface ValueFormatOptions {
  enumNames?: EnumNames;
}

/** print(@m, top, div) divides integer values (also inside tuples and records), never enums or keys. */
interface InternalOptions extends ValueFormatOptions {
  div?: bigint;
}

/**
 * Bytes as bpftrace prints a buffer: printable ASCII (32..126) kept, the rest
 * as `\xNN`; `%rx` escapes every byte, `%rh` prints `NN NN NN`.
 */
export function hexFormatBuffer(bytes: Uint8Array, keepAscii = true, escapeHex = true): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (keepAscii && b >= 32 && b <= 126) out += String.fromCharCode(b);
    else if (escapeHex) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += b.toString(16).padStart(2, '0') + (i === bytes.length - 1 ? '' : ' ');
  }
  return out;
}

/** Whether a decoded value is a record/struct (the one object-shaped Value). */
export function isRecord(v: Value): v is RecordValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && v.kind === 'record';
}

/** Text of an enum value: its name, or the number (as unsigned of the enum's width) when unnamed. */
export function enumText(value: bigint, type: { size: number; enumName?: string }, enumNames?: EnumNames): string {
  const unsigned = BigInt.asUintN(type.size * 8, value);
  const names = type.enumName ? enumNames?.get(type.enumName) : undefined;
  const name = names?.get(unsigned) ?? names?.get(BigInt.asIntN(type.size * 8, value));
  return name ?? unsigned.toString();
}

/** Formats a value whose type does not match the value's shape (never expected; never throws). */
function formatLoose(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint' || typeof value === 'string') return value.toString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Uint8Array) return hexFormatBuffer(value);
  if (Array.isArray(value)) return '(' + value.map(formatLoose).join(', ') + ')';
  return formatFields(value.fields.map(([n, v]) => [n, formatLoose(v)]));
}

function formatFields(fields: [string, string][]): string {
  if (fields.length === 0) return '{}';
  return '{ ' + fields.map(([n, v]) => `.${n} = ${v}`).join(', ') + ' }';
}

function format(value: Value, type: ValueType, opts: InternalOptions): string {
  switch (type.kind) {
    case 'int':
      if (typeof value !== 'bigint') break;
      if (type.enumName) return enumText(value, type, opts.enumNames);
      return (opts.div !== undefined && opts.div > 1n ? value / opts.div : value).toString();
    case 'bool':
      if (typeof value !== 'boolean') break;
      return value ? 'true' : 'false';
    case 'string':
      if (typeof value !== 'string') break;
      return value;
    case 'buffer':
      if (!(value instanceof Uint8Array)) break;
      return hexFormatBuffer(value);
    case 'pointer':
      if (typeof value !== 'bigint') break;
      return '0x' + BigInt.asUintN(64, value).toString(16);
    case 'tuple':
      if (!Array.isArray(value)) break;
      // Tuples get a space after the comma, arrays do not (as bpftrace).
      return '(' + type.elements.map((e, i) => format(value[i] ?? null, e.type, opts)).join(', ') + ')';
    case 'record':
    case 'struct':
      if (!isRecord(value)) break;
      return formatFields(types.shownFields(type).map((f, i) => [f.name, format(value.fields[i]?.[1] ?? null, f.type, opts)]));
    case 'array':
      if (!Array.isArray(value)) break;
      return '[' + value.map((v) => format(v, type.element, opts)).join(',') + ']';
    case 'none':
      return 'null';
  }
  return formatLoose(value);
}

/** The text bpftrace prints for a value of this type (as `print(value)` shows it, without the newline). */
export function formatValue(value: Value, type: ValueType, opts: ValueFormatOptions = {}): string {
  return format(value, type, { enumNames: opts.enumNames });
}

/** Like formatValue, dividing integers by `div` (print(@m, top, div) on plain values). */
export function formatDividedValue(value: Value, type: ValueType, div: bigint, opts: ValueFormatOptions = {}): string {
  return format(value, type, { enumNames: opts.enumNames, div });
}

function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'bigint') return 2;
  if (typeof v === 'string') return 3;
  if (v instanceof Uint8Array) return 4;
  if (Array.isArray(v)) return 5;
  return 6;
}

/**
 * Total order on decoded values, for sorting map keys: numbers by value,
 * strings and buffers bytewise (by UTF-16 code unit), tuples, arrays and
 * records field by field.
 */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  const la = Array.isArray(a) ? a : isRecord(a) ? a.fields.map((f) => f[1]) : [];
  const lb = Array.isArray(b) ? b : isRecord(b) ? b.fields.map((f) => f[1]) : [];
  const n = Math.min(la.length, lb.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(la[i], lb[i]);
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}
