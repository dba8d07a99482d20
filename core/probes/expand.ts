// The probes stage: every attach point goes to the provider that owns its
// provider word, which expands it into concrete probes. What matches nothing
// is handled as bpftrace does, by `missing_probes`: an attach point without
// wildcards that matches nothing is an error (`No matches for ...`), a
// warning (`... Skipping.`) or silently left out; a probe left without any
// attach point is an error or a warning (`Probe has no valid attach points`).
import type { AttachPoint, Probe, Program } from '../syntax/ast.ts';
import { CompileError, DiagnosticBag, type Span } from '../diagnostics/index.ts';
import { guarded } from '../plugin-host/index.ts';
import type { AttachPointRequest, ExpandedProbe, ProbeProvider, ProviderEnv } from '../../sdk/index.ts';
import { splitAttachPoint } from './split.ts';
import { filterProbes } from './probe-filter.ts';
import { MULTI_ATTACH_MAX_FUNCTIONS, withLinkGroups } from './link-groups.ts';

export interface ProbeInstance {
  /** The probe in the script (one per action block). */
  probe: Probe;
  /** The attach point of the probe it was expanded from (where its run-time failures are reported). */
  attachPoint: AttachPoint;
  provider: ProbeProvider;
  expanded: ExpandedProbe;
  /** Unique, stable C-friendly index of this instance. */
  index: number;
  /** The probes sharing its multi-attach program (link-groups.ts), itself among them; absent when it shares none. */
  linkGroup?: readonly ExpandedProbe[];
}

export class ProviderRegistry {
  private readonly byWord = new Map<string, ProbeProvider>();
  constructor(readonly providers: readonly ProbeProvider[]) {
    for (const p of providers) {
      this.byWord.set(p.name, p);
      for (const a of p.aliases) this.byWord.set(a, p);
    }
  }
  find(word: string): ProbeProvider | undefined {
    return this.byWord.get(word) ?? this.byWord.get(word.toLowerCase());
  }
}

const wildcard = /[*?[]/;

/** Whether an attach point is a pattern: matching nothing is then not an error of its own. */
function isPattern(provider: ProbeProvider, req: AttachPointRequest, env: ProviderEnv): boolean {
  return provider.isPattern ? provider.isPattern(req, env) : req.parts.some((p) => wildcard.test(p));
}

/** The span of a probe's attach points (where upstream points a probe-level message). */
function attachPointsSpan(probe: Probe): Span {
  const first = probe.attachPoints[0]!.span;
  const last = probe.attachPoints[probe.attachPoints.length - 1]!.span;
  return last.line === first.line ? { ...first, endCol: last.endCol } : first;
}

/**
 * Expands every attach point. Warnings go to `diagnostics` (and to it the
 * providers' `env.warn`, when the env was made over the same bag); errors are
 * collected there too, and thrown together, with the warnings before them, once
 * every probe is expanded.
 */
export function expandProbes(program: Program, registry: ProviderRegistry, env: ProviderEnv, diagnostics = new DiagnosticBag()): ProbeInstance[] {
  const out: ProbeInstance[] = [];
  const missing = env.config.missingProbes;
  let programs = 0;
  for (const item of program.items) {
    if (item.kind !== 'Probe') continue;
    const before = out.length;
    let reported = false;
    for (const ap of item.attachPoints) {
      const [providerWord, ...parts] = splitAttachPoint(ap.raw);
      const provider = registry.find(providerWord);
      if (!provider) {
        diagnostics.error(ap.span, `Invalid probe type: ${providerWord}`);
        reported = true;
        continue;
      }
      const request: AttachPointRequest = { raw: ap.raw, providerWord, parts, span: ap.span };
      let expanded: ExpandedProbe[];
      try {
        expanded = guarded(provider, `provider "${provider.name}"`, 'expand', ap.span, () => provider.expand(request, env));
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
        for (const d of e.diagnostics) diagnostics.items.push(d);
        reported = true;
        continue;
      }
      if (expanded.length === 0 && !isPattern(provider, request, env)) {
        const what = `No matches for ${provider.name} ${parts.join(':')}`;
        if (missing === 'error') diagnostics.error(ap.span, `${what}.`);
        if (missing === 'warn') diagnostics.warning(ap.span, `${what}. Skipping.`);
        reported ||= missing === 'error';
      }
      programs += programCount(expanded);
      if (programs > env.config.maxBpfProgs) throw tooManyPrograms(ap.span, programs, env.config.maxBpfProgs);
      for (const e of expanded) out.push({ probe: item, attachPoint: ap, provider, expanded: e, index: out.length });
    }
    if (out.length === before && !reported) {
      const what = 'Probe has no valid attach points.';
      if (missing === 'error') diagnostics.error(attachPointsSpan(item), `${what} If this is expected, set the 'missing_probes' config variable to 'warn'.`);
      if (missing === 'warn') diagnostics.warning(attachPointsSpan(item), `${what} It is being removed which may cause issues with program behavior.`);
    }
  }
  if (diagnostics.hasErrors) throw new CompileError(diagnostics.items);
  return withLinkGroups(filterProbes(out, env.config.probeFilter));
}

/**
 * The most BPF programs an attach point's probes make: one each, but probes
 * sharing a link (ExpandedProbe.multiAttach) share programs of up to
 * MULTI_ATTACH_MAX_FUNCTIONS functions (link-groups.ts).
 */
function programCount(expanded: ExpandedProbe[]): number {
  const groups = new Map<string, number>();
  let single = 0;
  for (const e of expanded) {
    if (e.multiAttach) groups.set(e.multiAttach.group, (groups.get(e.multiAttach.group) ?? 0) + 1);
    else single++;
  }
  return single + [...groups.values()].reduce((n, size) => n + Math.ceil(size / MULTI_ATTACH_MAX_FUNCTIONS), 0);
}

/** Upstream's error past max_bpf_progs (each probe instance is one BPF program). */
function tooManyPrograms(at: Span, count: number, limit: number): CompileError {
  return new CompileError([
    { severity: 'ERROR', message: `Your program is trying to generate more than ${count} BPF programs, which exceeds the current limit of ${limit}`, span: at },
    { severity: 'HINT', message: 'You can increase the limit through the BPFTRACE_MAX_BPF_PROGS environment variable.' },
  ]);
}
