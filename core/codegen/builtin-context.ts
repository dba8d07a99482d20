// The EmitContext builtins emit themselves through (sdk/builtin.ts): the
// emitter's expressions, types, maps, declarations, actions and events, seen
// from a builtin.
import { errorAt } from '../diagnostics/index.ts';
import type { ValueType } from '../manifest/index.ts';
import type { EmitContext, ExpandedProbe } from '../../sdk/index.ts';
import type { ProbeEmitter } from './emitter.ts';
import { cString } from './literals.ts';
import { kernelStructAddress } from './kernel-reads.ts';

/** By probe group, the byte length of its longest name (each probe of a group asks). */
const nameWidths = new WeakMap<readonly ExpandedProbe[], number>();

function widestName(group: readonly ExpandedProbe[]): number {
  let width = nameWidths.get(group);
  if (width === undefined) nameWidths.set(group, (width = Math.max(...group.map((p) => Buffer.byteLength(p.name)))));
  return width;
}

export function builtinEmitContext(em: ProbeEmitter): EmitContext {
  const { expanded, linkGroup } = em.types.instance;
  const probeGroup = linkGroup ?? [expanded];
  return {
    probe: expanded,
    probeGroup,
    config: em.config,
    kernelTypes: em.kernelTypes,
    expr: (n) => em.expr(n),
    typeOf: (n) => em.typeOf(n),
    ctype: (t) => em.ctypes.name(t),
    map: (n) => {
      if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
      return em.state.map(n.name).info;
    },
    mapKey: (n, keys) => {
      if (n.kind !== 'MapRef') throw errorAt(n.span, 'Expected a map argument (@name)');
      const m = em.state.map(n.name);
      return { cType: m.cKeyType, c: keys.length ? em.mapKeyValue(n.name, keys) : '0' };
    },
    declare: (c) => em.state.declare(c),
    checkHelper: (helper, call, span) => em.checkHelper(helper, call, span),
    action: (a) => em.state.addAction(a),
    event: (id, fields) => em.event(id, fields),
    temp: (t) => em.temp(t),
    assign: (t, dst, src) => em.assign(t, dst, src),
    inFrame: (t) => em.isBig(t),
    setting: (name) => `bs_settings.${name}`,
    // As wide as the group's longest name (CheckContext.probeGroup), as __builtin_probe's type.
    probeName: () => {
      const t: ValueType = { kind: 'string', size: widestName(probeGroup) + 1 };
      return `((${em.ctypes.name(t)}){ .s = ${cString(expanded.name)} })`;
    },
    constant: (n) => em.types.constants.get(n),
    address: (n) => kernelStructAddress(em, n),
  };
}
