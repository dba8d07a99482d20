// The probes of one multi-attach group (ExpandedProbe.multiAttach: an attach
// point's probes with the same group) run from one program whose C they
// share where it is the same. Values of a probe's own, its name and traced
// function, are typed as wide as the group's widest, so the C of probes that
// differ only in those values is the same but for the values (read from a
// table by the link's cookie: core/codegen/multi-attach.ts).
import type { ExpandedProbe } from '../../sdk/index.ts';
import type { ProbeInstance } from './expand.ts';

/**
 * The most distinct probe functions one shared program calls: past it, a
 * group is split in several programs (and links), so no program grows
 * without bound with the functions a wildcard matches. Codegen splits by it
 * (core/codegen/multi-attach.ts); the probe count limit counts programs by it.
 */
export const MULTI_ATTACH_MAX_FUNCTIONS = 128;

/** The instances, each with its multi-attach group (ProbeInstance.linkGroup) where it has one. */
export function withLinkGroups(instances: ProbeInstance[]): ProbeInstance[] {
  const groups = new Map<object, Map<string, ExpandedProbe[]>>();
  for (const { attachPoint, expanded } of instances) {
    if (!expanded.multiAttach) continue;
    const byKey = groups.get(attachPoint) ?? new Map<string, ExpandedProbe[]>();
    groups.set(attachPoint, byKey);
    const group = byKey.get(expanded.multiAttach.group) ?? [];
    byKey.set(expanded.multiAttach.group, group);
    group.push(expanded);
  }
  return instances.map((i) => {
    const group = i.expanded.multiAttach && groups.get(i.attachPoint)?.get(i.expanded.multiAttach.group);
    return group && group.length > 1 ? { ...i, linkGroup: group } : i;
  });
}
