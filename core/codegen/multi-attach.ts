// Probes of one attach point that the provider lets share a link
// (ExpandedProbe.multiAttach: a wildcard uprobe's functions in one binary)
// run from one program, attached once by a link carrying them all (a
// uprobe_multi link). The link gives each attach point a BPF cookie; the
// program runs the probe of the cookie. Probes whose C is the same but for
// their function's name (no `probe`, `func` or printf of their own) share one
// function, and a group whose probes all do needs no cookie at all.
import type { EmittedProbe } from './shared-hooks.ts';
import { frameMapName } from './big-values.ts';

/**
 * The most distinct probe functions one shared program calls: past it, the
 * group is split in several programs (and links), so no program grows
 * without bound with the functions a wildcard matches.
 */
export const MULTI_ATTACH_MAX_FUNCTIONS = 128;

/** A probe of a multi-attach group with the program that runs it. */
export interface MultiAttachProbe {
  probe: EmittedProbe;
  /** Anything that tells the script's attach points apart (probes of different ones never share). */
  attachPoint: object;
}

export interface MultiAttachPrograms {
  /** The C of the groups' programs (and the functions they call). */
  functions: string[];
  /** The program, section and cookie of each grouped probe, by its function name. */
  programs: Map<string, { programName: string; section: string; cookie: number }>;
  /** Functions left out because another of the group has the same C (their frame maps are gone too). */
  dropped: Set<string>;
  /** The probes not grouped, unchanged. */
  rest: EmittedProbe[];
}

/** A function name in C and the names made from it (`bs_probe_1_for0`), not as the prefix of another (`bs_probe_12`). */
function nameRegExp(functionName: string): RegExp {
  return new RegExp(`${functionName}(?![0-9])`, 'g');
}

/** The probe's C with its own function name replaced, to compare with its group's. */
function normalized(p: EmittedProbe): string {
  return p.text.replace(nameRegExp(p.functionName), '__bs_fn');
}

/** The program name of a group whose first probe is `first` (`bs_probe_3` -> `bs_multi_3`). */
export function multiProgramName(first: string): string {
  return first.replace(/^bs_probe_/, 'bs_multi_');
}

/** Groups by attach point and multiAttach.group, in script order. */
function groupsOf(probes: MultiAttachProbe[]): EmittedProbe[][] {
  const groups = new Map<object, Map<string, EmittedProbe[]>>();
  for (const { probe, attachPoint } of probes) {
    const key = probe.expanded.multiAttach!.group;
    const byKey = groups.get(attachPoint) ?? new Map<string, EmittedProbe[]>();
    groups.set(attachPoint, byKey);
    byKey.set(key, [...(byKey.get(key) ?? []), probe]);
  }
  return [...groups.values()].flatMap((byKey) => [...byKey.values()]);
}

/** Splits a group so that no part calls more than MULTI_ATTACH_MAX_FUNCTIONS distinct functions. */
function chunks(group: EmittedProbe[]): EmittedProbe[][] {
  const out: EmittedProbe[][] = [];
  let current: EmittedProbe[] = [];
  let bodies = new Set<string>();
  for (const p of group) {
    const body = normalized(p);
    if (!bodies.has(body) && bodies.size === MULTI_ATTACH_MAX_FUNCTIONS) {
      out.push(current);
      current = [];
      bodies = new Set();
    }
    bodies.add(body);
    current.push(p);
  }
  if (current.length) out.push(current);
  return out;
}

/** The C of one program of a group, and how it runs each probe. */
function groupProgram(members: EmittedProbe[], programName: string, out: MultiAttachPrograms): string[] {
  const section = members[0]!.expanded.multiAttach!.section;
  // The function of each distinct C text: the first probe that has it.
  const byBody = new Map<string, EmittedProbe>();
  const runs = new Map<EmittedProbe, EmittedProbe>();
  for (const p of members) {
    const body = normalized(p);
    if (!byBody.has(body)) byBody.set(body, p);
    runs.set(p, byBody.get(body)!);
  }
  const functions = [...byBody.values()];
  for (const p of members) if (runs.get(p) !== p) out.dropped.add(p.functionName);
  const signature = (p: EmittedProbe) => `SEC("${p.section}")\nint ${p.functionName}(void *ctx)`;
  if (functions.length === 1) {
    // One C text for all: that function is the program, and the cookie is not read
    // (0 for all: a kernel without attach cookies still attaches them a link each).
    const only = functions[0]!;
    for (const p of members) out.programs.set(p.functionName, { programName: only.functionName, section, cookie: 0 });
    return [only.text.replace(signature(only), `SEC("${section}")\nint ${only.functionName}(void *ctx)`)];
  }
  members.forEach((p, cookie) => out.programs.set(p.functionName, { programName, section, cookie }));
  const cases = functions.map((f) => [
    ...members.flatMap((p, cookie) => (runs.get(p) === f ? [`  case ${cookie}:`] : [])),
    `    return ${f.functionName}(ctx);`,
  ].join('\n'));
  // Called, not inlined: each keeps its own stack frame, whatever the others use.
  return [
    ...functions.map((f) => f.text.replace(signature(f), `static __noinline int ${f.functionName}(void *ctx)`)),
    [`SEC("${section}")`, `int ${programName}(void *ctx)`, '{', '  switch (bpf_get_attach_cookie(ctx)) {', ...cases, '  }', '  return 0;', '}', ''].join('\n'),
  ];
}

/** Moves the probes that may share a link into one program per group (MultiAttachPrograms); the others are unchanged. */
export function shareLinks(probes: EmittedProbe[], attachPointOf: (p: EmittedProbe) => object): MultiAttachPrograms {
  const out: MultiAttachPrograms = { functions: [], programs: new Map(), dropped: new Set(), rest: [] };
  const grouped: MultiAttachProbe[] = [];
  for (const p of probes) {
    if (p.expanded.multiAttach && p.section === p.expanded.section) grouped.push({ probe: p, attachPoint: attachPointOf(p) });
    else out.rest.push(p);
  }
  for (const group of groupsOf(grouped)) {
    for (const members of chunks(group)) out.functions.push(...groupProgram(members, multiProgramName(members[0]!.functionName), out));
  }
  return out;
}

/** The frame maps (Manifest.frameMaps) of the functions kept. */
export function keptFrameMaps(frameMaps: readonly string[], dropped: ReadonlySet<string>): string[] {
  const gone = new Set([...dropped].map(frameMapName));
  return frameMaps.filter((m) => !gone.has(m));
}
