// Maps: reads, assignments and `++`/`--` of map values, their keys, the
// per-CPU aggregates' synchronous reads and updates (prelude helpers), and
// `for` loops over a map (bpf_for_each_map_elem callbacks).
import type * as A from '../syntax/ast.ts';
import { errorAt } from '../diagnostics/index.ts';
import { pluginC } from './plugin-c.ts';
import type { MapValueKind } from '../manifest/index.ts';
import { isSigned } from '../types/index.ts';
import { compoundValue } from './arithmetic.ts';
import { bigAggregate } from './big-values.ts';
import type { MapCodegen } from './state.ts';
import type { ProbeEmitter } from './emitter.ts';
import { reportFailedUpdate, reportLookupMiss } from './events.ts';

/** The user key of a map access, converted to the map's key type. */
export function mapKeyValue(em: ProbeEmitter, mapName: string, keys: A.Expr[]): string {
  const map = em.state.map(mapName);
  const keyType = map.info.keyType!;
  if (keys.length === 1) return em.convert(em.expr(keys[0]), em.typeOf(keys[0]), keyType);
  if (keyType.kind !== 'tuple') throw errorAt(keys[0].span, 'internal: multi-key map without tuple key');
  const values = keys.map((k, i) => em.convert(em.expr(k), em.typeOf(k), keyType.elements[i].type));
  if (em.isBig(keyType)) return bigAggregate(em, keyType, values.map((c, i) => ({ member: `f${i}`, type: keyType.elements[i].type, c })));
  const parts = values.map((c, i) => `.f${i} = ${c}`);
  return `(${em.ctypes.name(keyType)}){ ${parts.join(', ')} }`;
}

/**
 * C declaring `key` for a lookup or update: a local holding the key, or for a
 * big key a pointer to it where it is (pass `key` itself, not `&key`).
 */
function keyDeclaration(em: ProbeEmitter, map: MapCodegen, key: string, mapName: string, keys: A.Expr[]): string {
  if (keys.length && em.isBig(map.info.keyType!)) return `${map.cKeyType} *${key} = &(${em.mapKeyValue(mapName, keys)});`;
  return `${map.cKeyType} ${key} = ${keys.length ? em.mapKeyValue(mapName, keys) : '0'};`;
}

/** `@m[k] = v`, `@m[k] op= v`, and `@m[k] = agg(...)`. */
export function assignMap(em: ProbeEmitter, s: A.Assign, target: A.MapRef | A.MapAccess): void {
  const ref = target.kind === 'MapRef' ? target : target.map;
  const keys = target.kind === 'MapAccess' ? target.keys : [];
  const map = em.state.map(ref.name);
  const builtin = s.value.kind === 'Call' ? em.types.builtins.get(s.value) : undefined;
  if (builtin?.aggregate && s.value.kind === 'Call') {
    let key = em.name('key');
    em.line('{');
    em.indent++;
    if (!map.bucketed && keys.length && em.isBig(map.info.keyType!)) {
      // A big key is used where it is (the frame or a map's memory), not copied.
      em.line(`${map.cKeyType} *${key} = &(${em.mapKeyValue(ref.name, keys)});`);
      key = `(*${key})`;
    } else if (map.bucketed && keys.length && em.isBig(map.info.keyType!) && em.frame) {
      // A bucketed key (user key, bucket) around a big user key is built in the frame.
      key = em.frame.slot(map.cKeyType);
      em.line(`bs_big_zero(&${key}, sizeof(${key}));`);
      em.line(`${em.assign(map.info.keyType!, `${key}.k`, em.mapKeyValue(ref.name, keys))};`);
    } else if (!map.bucketed && keys.length && map.info.keyType && map.info.keyType.kind !== 'tuple') {
      // A string or an integer has no padding: the key is its value, with no zeroing before.
      em.line(`${map.cKeyType} ${key} = ${em.mapKeyValue(ref.name, keys)};`);
    } else {
      em.line(`${map.cKeyType} ${key} = {};`);
      if (map.bucketed) {
        if (keys.length) em.line(`${key}.k = ${em.mapKeyValue(ref.name, keys)};`);
      } else if (keys.length) em.line(`${key} = ${em.mapKeyValue(ref.name, keys)};`);
    }
    const { aggregate } = builtin;
    const call = s.value;
    const update = pluginC(em.state, builtin, `builtin ${call.callee}()`, 'aggregate.emitUpdate', call.span, () => aggregate.emitUpdate(call.args, em.emitContext(), map.cName, key, map.info.value));
    em.line(`${reportFailedUpdate(em, update, s.span, map.info.bpfType)};`);
    em.indent--;
    em.line('}');
    return;
  }
  const valueType = em.typeOf(s.value);
  const kind = map.info.value;
  if (kind.kind !== 'plain') {
    // `@c += n` on an aggregate map: same update as the aggregate would do.
    const delta = s.op === '-=' ? `-(${em.expr(s.value)})` : em.expr(s.value);
    em.line(`{ ${map.cKeyType} __k = ${keys.length ? em.mapKeyValue(ref.name, keys) : '0'}; ${reportFailedUpdate(em, aggregateAdd(map.cName, '__k', kind, delta), s.span, map.info.bpfType)}; }`);
    return;
  }
  const key = em.name('key');
  const val = em.name('val');
  em.line('{');
  em.indent++;
  em.line(keyDeclaration(em, map, key, ref.name, keys));
  const keyRef = keys.length && em.isBig(map.info.keyType!) ? key : `&${key}`;
  if (s.op === '=' && em.isBig(kind.type)) {
    // A big value is stored from where it is.
    em.line(`${map.cValueType} *${val} = &(${em.convert(em.expr(s.value), valueType, kind.type)});`);
    em.line(`${reportFailedUpdate(em, `bpf_map_update_elem(&${map.cName}, ${keyRef}, ${val}, BPF_ANY)`, s.span, map.info.bpfType)};`);
    em.indent--;
    em.line('}');
    return;
  }
  if (s.op === '=') {
    em.line(`${map.cValueType} ${val} = ${em.convert(em.expr(s.value), valueType, kind.type)};`);
  } else {
    const old = em.name('old');
    em.line(`${map.cValueType} *${old} = bpf_map_lookup_elem(&${map.cName}, ${keyRef});`);
    em.line(`${map.cValueType} ${val} = ${old} ? *${old} : 0;`);
    const value = em.expr(s.value);
    const computed = compoundValue(em, s, val, value, isSigned(kind.type));
    em.line(computed !== undefined ? `${val} = ${computed};` : `${val} ${s.op} ${value};`);
  }
  em.line(`${reportFailedUpdate(em, `bpf_map_update_elem(&${map.cName}, ${keyRef}, &${val}, BPF_ANY)`, s.span, map.info.bpfType)};`);
  em.indent--;
  em.line('}');
}

/** `@m[k]` as a value: zero (or an empty value) when the key is absent. */
export function mapRead(em: ProbeEmitter, e: A.MapRef | A.MapAccess): string {
  const ref = e.kind === 'MapRef' ? e : e.map;
  const keys = e.kind === 'MapAccess' ? e.keys : [];
  const map = em.state.map(ref.name);
  const key = em.name('key');
  const keyInit = keyDeclaration(em, map, key, ref.name, keys);
  const keyRef = keys.length && em.isBig(map.info.keyType!) ? key : `&${key}`;
  const kind = map.info.value;
  if (kind.kind !== 'plain') return `({ ${keyInit} ${aggregateRead(map.cName, keyRef, kind)}; })`;
  const p = em.name('p');
  // A keyed map's missing key is reported with -k; a scalar map's is only "not set yet".
  const miss = keys.length ? reportLookupMiss(em, e.span) : '';
  if (em.isBig(kind.type)) {
    // The value where the map holds it, or a zeroed slot of the frame.
    const zeroSlot = em.temp(kind.type);
    return `(*({ ${keyInit} ${map.cValueType} *${p} = bpf_map_lookup_elem(&${map.cName}, ${keyRef}); if (!${p}) { ${miss} bs_big_zero(&${zeroSlot}, sizeof(${zeroSlot})); ${p} = &${zeroSlot}; } ${p}; }))`;
  }
  const zero = em.zeroInit(kind.type) === '0' ? '0' : `(${map.cValueType}){}`;
  const absent = miss ? `({ ${miss} ${zero}; })` : zero;
  return `({ ${keyInit} ${map.cValueType} *${p} = bpf_map_lookup_elem(&${map.cName}, ${keyRef}); ${p} ? *${p} : ${absent}; })`;
}

/** `@m[k]++` and the like: the value before (postfix) or after (prefix) the update. */
export function updateMap(em: ProbeEmitter, e: A.Update, target: A.MapRef | A.MapAccess): string {
  const op = e.op === '++' ? '+' : '-';
  const ref = target.kind === 'MapRef' ? target : target.map;
  const keys = target.kind === 'MapAccess' ? target.keys : [];
  const map = em.state.map(ref.name);
  const key = em.name('key');
  const kind = map.info.value;
  const keyInit = `${map.cKeyType} ${key} = ${keys.length ? em.mapKeyValue(ref.name, keys) : '0'};`;
  if (kind.kind !== 'plain') {
    const read = aggregateRead(map.cName, `&${key}`, kind);
    return `({ ${keyInit} __s64 __before = ${read}; ${reportFailedUpdate(em, aggregateAdd(map.cName, key, kind, op === '+' ? '1' : '-1'), e.span, map.info.bpfType)}; ${e.prefix ? `__before ${op} 1` : '__before'}; })`;
  }
  const p = em.name('p');
  const nv = em.name('nv');
  // A pointer moves by one element.
  const step = em.types.pointerSteps.get(e) ?? 1;
  return `({ ${keyInit} ${map.cValueType} *${p} = bpf_map_lookup_elem(&${map.cName}, &${key}); ${map.cValueType} ${nv} = (${p} ? *${p} : 0) ${op} ${step}; ${reportFailedUpdate(em, `bpf_map_update_elem(&${map.cName}, &${key}, &${nv}, BPF_ANY)`, e.span, map.info.bpfType)}; ${e.prefix ? nv : `${nv} ${op === '+' ? '-' : '+'} ${step}`}; })`;
}

/** Adds `delta` to an aggregate (count, sum, min, max, avg) on this CPU: a long, negative when a new key could not be made. */
function aggregateAdd(mapC: string, keyVar: string, kind: MapValueKind, delta: string): string {
  if (kind.kind === 'count' || kind.kind === 'sum') return `bs_agg_add(&${mapC}, &${keyVar}, ${delta})`;
  if (kind.kind === 'min' || kind.kind === 'max') {
    return `bs_agg_minmax(&${mapC}, &${keyVar}, ${delta}, ${kind.kind === 'max' ? 1 : 0}, ${kind.signed ? 1 : 0})`;
  }
  return `bs_agg_avg(&${mapC}, &${keyVar}, ${delta})`;
}

/** Synchronous read of an aggregate: `keyPtr` is a C pointer to the BPF key. */
function aggregateRead(mapC: string, keyPtr: string, kind: MapValueKind): string {
  switch (kind.kind) {
    case 'count':
    case 'sum':
      return `bs_percpu_sum(&${mapC}, ${keyPtr})`;
    case 'min':
    case 'max':
      return `bs_percpu_minmax(&${mapC}, ${keyPtr}, ${kind.kind === 'max' ? 1 : 0}, ${kind.signed ? 1 : 0})`;
    case 'avg':
      return `bs_percpu_avg(&${mapC}, ${keyPtr})`;
    default:
      throw new Error(`internal: no synchronous read of ${kind.kind}`);
  }
}

/**
 * `for ($kv : @m) { ... }`: the body becomes a bpf_for_each_map_elem
 * callback that reaches the probe's locals through `L` (and the context
 * through L->ctx); break/continue become the callback's return values.
 */
export function mapFor(em: ProbeEmitter, s: A.For, ref: A.MapRef): void {
  const map = em.state.map(ref.name);
  const kvType = em.variableType(s.variable);
  if (kvType.kind !== 'tuple') throw errorAt(s.span, 'internal: map loop variable is not a tuple');
  const cb = `${em.functionName}_for${em.freshNumber()}`;
  const saved = { lines: em.lines, temps: em.temps, indent: em.indent };
  em.lines = [];
  em.temps = [];
  em.indent = 1;
  const keyType = kvType.elements[0].type;
  const kind = map.info.value;
  const value = kind.kind === 'plain'
    ? `*(${map.cValueType} *)value`
    : aggregateRead(map.cName, 'key', kind);
  const keyC = map.info.keyType ? `*(${em.ctypes.name(keyType)} *)key` : '0';
  if (em.isBig(kvType)) {
    const kv = em.variable(s.variable);
    em.line(`${em.assign(keyType, `${kv}.f0`, keyC)}; ${em.assign(kvType.elements[1].type, `${kv}.f1`, value)};`);
  } else em.line(`${em.variable(s.variable)} = (${em.ctypes.name(kvType)}){ .f0 = ${keyC}, .f1 = ${value} };`);
  em.loops.push('map');
  em.block(s.body.statements);
  em.loops.pop();
  const body = em.lines;
  const temps = em.temps.map((t) => `  ${t};`);
  em.lines = saved.lines;
  em.temps = saved.temps;
  em.indent = saved.indent;
  em.callbacks.push([
    `static long ${cb}(void *map, const void *key, void *value, void *cb_ctx)`,
    '{',
    // The callback's context must be on the stack: a frame is reached through a pointer there.
    ...(em.frame ? [`  ${em.localsStruct()} *L = *(${em.localsStruct()} **)cb_ctx;`, `  ${em.localsStruct()} *__Lp = L;`] : [`  ${em.localsStruct()} *L = cb_ctx;`]),
    '  void *ctx = L->ctx;',
    ...temps,
    ...body,
    '  return 0;',
    '}',
    '',
  ].join('\n'));
  em.line(`bpf_for_each_map_elem(&${map.cName}, ${cb}, ${em.frame ? '&__Lp' : 'L'}, 0);`);
  // A `return` in the body stopped the walk: the probe returns (from an enclosing map loop's callback, that walk stops too).
  if (containsReturn(s.body)) em.line(`if (L->returned)\n${'  '.repeat(em.indent + 1)}return ${em.loops.includes('map') ? 1 : 0};`);
}


/** Whether a probe body has a `for` loop over a map (its locals then live in a struct). */
export function containsMapFor(node: unknown): boolean {
  return containsNode(node, (n) => n.kind === 'For' && n.iterable?.kind === 'MapRef');
}

function containsReturn(node: unknown): boolean {
  return containsNode(node, (n) => n.kind === 'Return');
}

/** Whether a probe body has a `return` inside a `for` loop over a map (its locals struct then flags it). */
export function returnsFromMapFor(node: unknown): boolean {
  return containsNode(node, (n) => n.kind === 'For' && n.iterable?.kind === 'MapRef' && containsReturn((n as { body?: unknown }).body));
}

/** Whether an AST subtree has a node `is` accepts. */
function containsNode(node: unknown, is: (n: { kind?: string; iterable?: { kind?: string } }) => boolean): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((n) => containsNode(n, is));
  if (is(node as { kind?: string })) return true;
  return Object.entries(node).some(([k, v]) => k !== 'span' && typeof v === 'object' && containsNode(v, is));
}
