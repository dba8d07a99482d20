// Map builtins: delete, has_key, len (in the kernel) and clear, zero (async:
// an event record, and their handlers do it from user space on the live map).
import { types, type Action, type ActionHandler, type Builtin, type BuiltinArgNode, type CheckContext, type NewAction, type Span } from '../../sdk/index.ts';
import type { Expr, MapRef } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg, withDoc } from './define.ts';

/** `delete(@m, k)`, `delete(@m[k])` (deprecated form) or `delete(@m)` (scalar). */
function mapAndKeys(name: string, args: BuiltinArgNode[], tc: CheckContext, span: Span): { map: MapRef; keys: Expr[] } {
  const first = args[0];
  if (first?.kind === 'MapAccess' && args.length === 1) return { map: first.map, keys: first.keys };
  if (first?.kind !== 'MapRef') return tc.fail(`${name}() expects a map as its first argument`, first?.span ?? span);
  return { map: first, keys: args.slice(1).map((a) => exprArg(a, tc)) };
}

const del: Builtin = {
  name: 'delete',
  doc: `:variant bool delete(map m, mapkey k)
:variant bool delete(map m)
:deprecated_variant bool delete(mapkey k)
Deletes the entry of key \`k\` from map \`m\`, and returns whether there was one.
A key of several values is written as a tuple: \`delete(@m, (3, "a"))\`. For a
map without keys, \`delete(@m)\` deletes its value. The older form
\`delete(@m[k])\` is still accepted.

\`\`\`
tracepoint:syscalls:sys_exit_read /@start[tid]/ { @ns = hist(nsecs - @start[tid]); delete(@start, tid); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('delete', args, 1, 2, tc, span);
    const { map, keys } = mapAndKeys('delete', args, tc, span);
    tc.mapKey(map, keys, span);
    return types.boolType;
  },
  emit(args, ec) {
    const first = args[0];
    const map = first.kind === 'MapAccess' ? first.map : (first as MapRef);
    const keys = first.kind === 'MapAccess' ? first.keys : (args.slice(1) as Expr[]);
    const info = ec.map(map);
    const key = ec.mapKey(map, keys);
    return `({ ${key.cType} __dk = ${key.c}; (__u8)(bpf_map_delete_elem(&${info.cName}, &__dk) == 0); })`;
  },
};

const hasKey: Builtin = {
  name: 'has_key',
  doc: `:variant bool has_key(map m, mapkey k)
Whether map \`m\` has an entry for key \`k\` (a tuple for a key of several values).
The map must have keys.

\`\`\`
tracepoint:syscalls:sys_exit_read /has_key(@start, tid)/ { @ns = hist(nsecs - @start[tid]); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('has_key', args, 2, 2, tc, span);
    const { map, keys } = mapAndKeys('has_key', args, tc, span);
    tc.mapKey(map, keys, span);
    return types.boolType;
  },
  emit(args, ec) {
    const map = args[0] as MapRef;
    const info = ec.map(map);
    const key = ec.mapKey(map, args.slice(1) as Expr[]);
    return `({ ${key.cType} __hk = ${key.c}; (__u8)(bpf_map_lookup_elem(&${info.cName}, &__hk) != 0); })`;
  },
};

const len: Builtin = {
  name: 'len',
  doc: `:variant int64 len(map m)
The number of entries in map \`m\`, counted in the kernel (the kfunc
\`bpf_map_sum_elem_count\`).`,
  check(args, tc, span) {
    expectArgs('len', args, 1, 1, tc, span);
    if (args[0].kind !== 'MapRef') tc.fail('len() expects a map argument', args[0].span);
    tc.map(args[0]);
    return types.int64;
  },
  emit(args, ec) {
    const info = ec.map(args[0]);
    // libbpf matches kfunc prototypes by BTF kind: the pointee must be a struct, not a forward declaration.
    ec.declare('struct bpf_map {};\nextern __s64 bpf_map_sum_elem_count(const struct bpf_map *map) __ksym;\n');
    return `bpf_map_sum_elem_count((const struct bpf_map *)&${info.cName})`;
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

export const mapBuiltins: Builtin[] = [del, hasKey, len, withDoc(asyncMapAction('clear'), CLEAR_DOC), withDoc(asyncMapAction('zero'), ZERO_DOC)];

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
