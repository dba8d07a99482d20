// Probes of one attach point that the provider lets share a link
// (ExpandedProbe.multiAttach: a wildcard uprobe's functions in one binary)
// run from one program, attached once by a link carrying them all (a
// uprobe_multi link). The link gives each attach point a BPF cookie; the
// program runs the probe of the cookie. Probes whose C is the same but for
// their function's name and their values (`probe`, `func`, the ids of their
// printf: probe-params.ts) share one function, which reads the values from a
// table by the cookie; a group whose probes all share one function without
// values of their own needs no cookie at all.
import type { EmittedProbe } from './shared-hooks.ts';
import { frameMapName } from './big-values.ts';
import { tableColumns, paramFunction, paramTable, paramText, type ParamText } from './probe-params.ts';
import { MULTI_ATTACH_MAX_FUNCTIONS } from '../probes/index.ts';

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
    const group = byKey.get(key) ?? [];
    byKey.set(key, group);
    group.push(probe);
  }
  return [...groups.values()].flatMap((byKey) => [...byKey.values()]);
}

/** Splits a group so that no part calls more than MULTI_ATTACH_MAX_FUNCTIONS distinct functions. */
function chunks(group: EmittedProbe[], texts: Map<EmittedProbe, ParamText>): EmittedProbe[][] {
  const out: EmittedProbe[][] = [];
  let current: EmittedProbe[] = [];
  let bodies = new Set<string>();
  for (const p of group) {
    const body = texts.get(p)!.key;
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

/**
 * The C of a function shared by `runs` (cookies in `members`): the first
 * one's, reading the values in which they differ from its table.
 */
function sharedFunction(f: EmittedProbe, runs: EmittedProbe[], members: EmittedProbe[], texts: Map<EmittedProbe, ParamText>): string[] {
  const columns = tableColumns(runs.map((p) => texts.get(p)!));
  if (!columns.fields.length) return [f.text];
  const cookieOf = new Map(members.map((p, cookie) => [p, cookie]));
  const cookies = new Map(runs.map((p) => [cookieOf.get(p)!, texts.get(p)!]));
  const first = Math.min(...cookies.keys());
  const last = Math.max(...cookies.keys());
  return [
    paramTable(f.functionName, columns, cookies, first, last),
    paramFunction(texts.get(f)!, f.functionName, `int ${f.functionName}(void *ctx)`, columns, first, last - first + 1),
  ];
}

/** The C of one program of a group, and how it runs each probe. */
function groupProgram(members: EmittedProbe[], programName: string, texts: Map<EmittedProbe, ParamText>, out: MultiAttachPrograms): string[] {
  const section = members[0]!.expanded.multiAttach!.section;
  // The function of each distinct C text: the first probe that has it.
  const byBody = new Map<string, EmittedProbe>();
  const runs = new Map<EmittedProbe, EmittedProbe>();
  for (const p of members) {
    const body = texts.get(p)!.key;
    if (!byBody.has(body)) byBody.set(body, p);
    runs.set(p, byBody.get(body)!);
  }
  const functions = [...byBody.values()];
  for (const p of members) if (runs.get(p) !== p) out.dropped.add(p.functionName);
  const runBy = (f: EmittedProbe) => members.filter((p) => runs.get(p) === f);
  const texted = functions.map((f) => sharedFunction(f, runBy(f), members, texts));
  const signature = (p: EmittedProbe) => `SEC("${p.section}")\nint ${p.functionName}(void *ctx)`;
  const withSignature = (c: string[], f: EmittedProbe, to: string) => [...c.slice(0, -1), c.at(-1)!.replace(signature(f), to)];
  if (functions.length === 1) {
    // One function for all: it is the program. Without values of their own the
    // cookie is not read (0 for all: a kernel without attach cookies still
    // attaches them a link each); else each probe's cookie is its row.
    const only = functions[0]!;
    const readsCookie = texted[0]!.length > 1;
    const name = readsCookie ? programName : only.functionName;
    members.forEach((p, i) => out.programs.set(p.functionName, { programName: name, section, cookie: readsCookie ? i : 0 }));
    return withSignature(texted[0]!, only, `SEC("${section}")\nint ${name}(void *ctx)`);
  }
  members.forEach((p, cookie) => out.programs.set(p.functionName, { programName, section, cookie }));
  const cases = functions.map((f) => [
    ...members.flatMap((p, cookie) => (runs.get(p) === f ? [`  case ${cookie}:`] : [])),
    `    return ${f.functionName}(ctx);`,
  ].join('\n'));
  // Called, not inlined: each keeps its own stack frame, whatever the others use.
  return [
    ...functions.flatMap((f, i) => withSignature(texted[i]!, f, `static __noinline int ${f.functionName}(void *ctx)`)),
    [`SEC("${section}")`, `int ${programName}(void *ctx)`, '{', '  switch (bpf_get_attach_cookie(ctx)) {', ...cases, '  }', '  return 0;', '}', ''].join('\n'),
  ];
}

/**
 * Moves the probes that may share a link into one program per group
 * (MultiAttachPrograms); the others are unchanged. `canonical` names the C
 * identifiers that count as the same (event structs of one layout).
 */
export function shareLinks(probes: EmittedProbe[], attachPointOf: (p: EmittedProbe) => object, canonical: (identifier: string) => string = (i) => i): MultiAttachPrograms {
  const out: MultiAttachPrograms = { functions: [], programs: new Map(), dropped: new Set(), rest: [] };
  const grouped: MultiAttachProbe[] = [];
  for (const p of probes) {
    if (p.expanded.multiAttach && p.section === p.expanded.section) grouped.push({ probe: p, attachPoint: attachPointOf(p) });
    else out.rest.push(p);
  }
  const texts = new Map(grouped.map(({ probe }) => [probe, paramText(probe.text, probe.functionName, canonical)]));
  for (const group of groupsOf(grouped)) {
    for (const members of chunks(group, texts)) out.functions.push(...groupProgram(members, multiProgramName(members[0]!.functionName), texts, out));
  }
  return out;
}

/** The frame maps (Manifest.frameMaps) of the functions kept. */
export function keptFrameMaps(frameMaps: readonly string[], dropped: ReadonlySet<string>): string[] {
  const gone = new Set([...dropped].map(frameMapName));
  return frameMaps.filter((m) => !gone.has(m));
}
