// Map builtins: delete, has_key, len (in the kernel), is_scalar (at compile
// time) and clear, zero (async: an event record, and their handlers do it from
// user space on the live map). find() is a macro over has_key: stdlib/maps.bt.
import { types, type Action, type ActionHandler, type Builtin, type BuiltinArgNode, type CheckContext, type EmitContext, type HelperErrorAction, type NewAction, type Span } from '../../sdk/index.ts';
import type { Expr, MapRef } from '../../core/syntax/ast.ts';
import { isStackType, emitStackLength } from './stacks.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

/** `delete(@m, k)`, `delete(@m[k])` (deprecated form) or `delete(@m)` (scalar). */
function mapAndKeys(name: string, args: BuiltinArgNode[], tc: CheckContext, span: Span): { map: MapRef; keys: Expr[] } {
  const first = args[0];
  if (first?.kind === 'MapAccess' && args.length === 1) return { map: first.map, keys: first.keys };
  if (first?.kind !== 'MapRef') return tc.fail(`${name}() expects a map as its first argument`, first?.span ?? span);
  return { map: first, keys: args.slice(1).map((a) => exprArg(a, tc)) };
}

/** Upstream's words for a map used against its kind by a function that needs the other. */
function needsKeys(call: string, tc: CheckContext, map: BuiltinArgNode, span: Span): void {
  if (tc.map(map).keyed === false) tc.fail(`call to ${call} expects a map with explicit keys (non-scalar map)`, span);
}

/** The map and key of a delete() call, in any of its forms. */
function deleteTarget(args: BuiltinArgNode[]): { map: MapRef; keys: Expr[] } {
  const first = args[0];
  return first.kind === 'MapAccess' ? { map: first.map, keys: first.keys } : { map: first as MapRef, keys: args.slice(1) as Expr[] };
}

/**
 * C declaring a pointer to the BPF key of `@m[keys]` in `name`: to a
 * statement expression's own local, or for a key too big for the stack (a
 * big string) to the key where it is.
 */
export function mapKeyPointer(ec: EmitContext, map: BuiltinArgNode, keys: Expr[], name: string): string {
  const key = ec.mapKey(map, keys);
  const keyType = ec.map(map).keyType;
  if (keys.length && keyType && ec.inFrame(keyType)) return `${key.cType} *${name} = &(${key.c});`;
  return `${key.cType} ${name}_v = ${key.c}; ${key.cType} *${name} = &${name}_v;`;
}

/** C declaring a pointer to the BPF key of a delete() call in `__dk`. */
function deleteKey(args: BuiltinArgNode[], ec: EmitContext): { map: string; c: string } {
  const { map, keys } = deleteTarget(args);
  return { map: ec.map(map).cName, c: mapKeyPointer(ec, map, keys, '__dk') };
}

const del: Builtin = {
  name: 'delete',
  doc: [
    ':variant bool delete(map m, mapkey k)',
    ':variant bool delete(map m)',
    ':deprecated_variant bool delete(mapkey k)',
    'Deletes key `k` of map `m` (a tuple for a map of several keys:',
    '`delete(@m, (3, "hello"))`); a map without keys (`@m = 1`) is deleted with',
    '`delete(@m)`. True when the key was there. When the value is not used and the',
    'key was not there, a warning says so at run time.',
    '',
    '`delete(@m[k])` is the old form of `delete(@m, k)`, still accepted.',
    '',
    '```',
    'tracepoint:syscalls:sys_exit_read { if (!delete(@start, tid)) { @missed = count(); } }',
    '```',
  ].join('\n'),
  check(args, tc, span) {
    expectArgs('delete', args, 1, 2, tc, span);
    const { map, keys } = mapAndKeys('delete', args, tc, span);
    if (args.length === 1 && args[0].kind === 'MapRef') {
      if (tc.map(map).keyed === true) tc.fail('call to delete() with a single argument expects a map without explicit keys (scalar map)', span);
    } else needsKeys('delete() with two arguments', tc, map, span);
    tc.mapKey(map, keys, span);
    return types.boolType;
  },
  emit(args, ec) {
    const k = deleteKey(args, ec);
    return `({ ${k.c} (__u8)(bpf_map_delete_elem(&${k.map}, __dk) == 0); })`;
  },
  // Its value unused: a failure is reported, as no one else can see it.
  emitStatement(args, ec, span) {
    const k = deleteKey(args, ec);
    const r = ec.temp(types.int64);
    const id = ec.action({ kind: 'helper_error', helper: 'map_delete_elem', span } satisfies NewAction<HelperErrorAction>);
    const report = ec.event(id, [{ type: types.int64, c: r }]).c;
    return `({ ${k.c} ${r} = bpf_map_delete_elem(&${k.map}, __dk); if (${r} < 0) ${report}; })`;
  },
};

const hasKey: Builtin = {
  name: 'has_key',
  doc: [
    ':variant bool has_key(map m, mapkey k)',
    'Whether map `m` holds key `k` (a tuple for a map of several keys). An error',
    'for a map without keys.',
    '',
    '```',
    'begin { @m[1, 2] = 1; if (!has_key(@m, (1, 3))) { print("no"); } }',
    '```',
  ].join('\n'),
  check(args, tc, span) {
    expectArgs('has_key', args, 2, 2, tc, span);
    const { map, keys } = mapAndKeys('has_key', args, tc, span);
    needsKeys('has_key()', tc, map, span);
    tc.mapKey(map, keys, span);
    return types.boolType;
  },
  emit(args, ec) {
    const map = args[0] as MapRef;
    const info = ec.map(map);
    return `({ ${mapKeyPointer(ec, map, args.slice(1) as Expr[], '__hk')} (__u8)(bpf_map_lookup_elem(&${info.cName}, __hk) != 0); })`;
  },
};

const len: Builtin = {
  name: 'len',
  doc: `:variant int64 len(map m)
The number of entries in map \`m\`, counted in the kernel (the kfunc
\`bpf_map_sum_elem_count\`).`,
  check(args, tc, span) {
    expectArgs('len', args, 1, 1, tc, span);
    if (args[0].kind !== 'MapRef') {
      // len(stack): the depth of a kstack or ustack.
      if (args[0].kind === 'TypeArg' || !isStackType(tc.typeOf(args[0]))) tc.fail('call to len() expects a map, ustack, or kstack', args[0].span);
      return types.int64;
    }
    tc.map(args[0]);
    needsKeys('len()', tc, args[0], span);
    return types.int64;
  },
  emit(args, ec) {
    if (args[0].kind !== 'MapRef') return emitStackLength(ec.expr(args[0] as Expr), ec);
    const info = ec.map(args[0]);
    // libbpf matches kfunc prototypes by BTF kind: the pointee must be a struct, not a forward declaration.
    ec.declare('struct bpf_map {};\nextern __s64 bpf_map_sum_elem_count(const struct bpf_map *map) __ksym;\n');
    return `bpf_map_sum_elem_count((const struct bpf_map *)&${info.cName})`;
  },
};

/** Whether a map is used without keys; known at compile time (false until a use tells). */
const isScalar: Builtin = {
  name: 'is_scalar',
  doc: [
    ':variant bool is_scalar(map m)',
    'Whether map `m` is used without keys (`@m = 1`), known at compile time: for',
    'macros that take maps (`if comptime is_scalar(@m) { ... }`).',
  ].join('\n'),
  check(args, tc, span) {
    expectArgs('is_scalar', args, 1, 1, tc, span);
    if (args[0].kind !== 'MapRef') tc.fail('is_scalar() expects a map for the first argument', args[0].span);
    return types.boolType;
  },
  constant: (args, tc) => (tc.map(args[0]).keyed === false ? 1n : 0n),
  emit() {
    throw new Error('is_scalar() is folded at compile time');
  },
};

/** clear(@m), zero(@m): the record holds nothing more. */
export interface MapAction extends Action {
  kind: 'clear' | 'zero';
  /** The script map (`@m`). */
  map: string;
}

function asyncMapAction(name: 'clear' | 'zero'): Builtin {
  return {
    name,
    statementOnly: true,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      if (args[0].kind !== 'MapRef') tc.fail(`${name}() expects a map argument`, args[0].span);
      tc.map(args[0]);
      return types.noneType;
    },
    emit(args, ec) {
      const info = ec.map(args[0]);
      const id = ec.action({ kind: name, map: info.name } satisfies NewAction<MapAction>);
      return ec.event(id, []).c;
    },
  };
}

const CLEAR_DOC = `:variant void clear(map m)
**async**

Deletes every entry of map \`m\`.

\`\`\`
interval:s:1 { print(@syscalls); clear(@syscalls); }
\`\`\``;

const ZERO_DOC = `:variant void zero(map m)
**async**

Sets every value of map \`m\` to zero, keeping its keys.`;

export const mapBuiltins: Builtin[] = [del, hasKey, len, isScalar, withDoc(asyncMapAction('clear'), CLEAR_DOC), withDoc(asyncMapAction('zero'), ZERO_DOC)];

/** Deletes every entry (clear), or sets every value to zero and keeps the keys (zero). */
function mapActionHandler(kind: 'clear' | 'zero'): ActionHandler<MapAction> {
  return {
    kind,
    open: (session) => ({
      handle(action) {
        const map = session.map(action.map);
        if (kind === 'clear') map.clear();
        else map.zero();
      },
    }),
  };
}

export const mapHandlers: ActionHandler[] = [mapActionHandler('clear'), mapActionHandler('zero')];
