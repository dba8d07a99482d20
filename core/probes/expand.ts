// The probes stage: every attach point goes to the provider that owns its
// provider word, which expands it into concrete probes.
import type { Probe, Program } from '../syntax/ast.ts';
import { CompileError, errorAt, type Diagnostic, type Span } from '../diagnostics/index.ts';
import type { ExpandedProbe, ProbeProvider, ProviderEnv } from '../../sdk/index.ts';
import { splitAttachPoint } from './split.ts';

export interface ProbeInstance {
  /** The probe in the script (one per action block). */
  probe: Probe;
  provider: ProbeProvider;
  expanded: ExpandedProbe;
  /** Unique, stable C-friendly index of this instance. */
  index: number;
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

export function expandProbes(program: Program, registry: ProviderRegistry, env: ProviderEnv): ProbeInstance[] {
  const out: ProbeInstance[] = [];
  for (const item of program.items) {
    if (item.kind !== 'Probe') continue;
    for (const ap of item.attachPoints) {
      const [providerWord, ...parts] = splitAttachPoint(ap.raw);
      const provider = registry.find(providerWord);
      if (!provider) throw errorAt(ap.span, `Invalid probe type: ${providerWord}`);
      const expanded = provider.expand({ raw: ap.raw, providerWord, parts, span: ap.span }, env);
      if (expanded.length === 0) {
        const msg = `No probes to attach for ${ap.raw}`;
        if (env.config.missingProbes === 'error') throw errorAt(ap.span, msg);
        continue;
      }
      if (out.length + expanded.length > env.config.maxBpfProgs) throw tooManyPrograms(ap.span, out.length + expanded.length, env.config.maxBpfProgs);
      for (const e of expanded) out.push({ probe: item, provider, expanded: e, index: out.length });
    }
  }
  return out;
}

/** Upstream's error past max_bpf_progs (each probe instance is one BPF program). */
function tooManyPrograms(at: Span, count: number, limit: number): CompileError {
  return new CompileError([
    { severity: 'ERROR', message: `Your program is trying to generate more than ${count} BPF programs, which exceeds the current limit of ${limit}`, span: at },
    { severity: 'HINT', message: 'You can increase the limit through the BPFTRACE_MAX_BPF_PROGS environment variable.' },
  ]);
}

/**
 * The error when no probe is left to attach, at the probe list: from the
 * first attach point to the last (the whole program when it has no probe).
 */
export function noProbesError(program: Program, missingProbes: string): CompileError {
  const probes = program.items.filter((i): i is Probe => i.kind === 'Probe');
  let span: Span = program.span;
  const first = probes[0]?.attachPoints[0]?.span;
  const last = probes[probes.length - 1]?.attachPoints.at(-1)?.span;
  if (first && last) span = { file: first.file, line: first.line, col: first.col, endLine: last.endLine, endCol: last.endCol };
  const errors: Diagnostic[] = [{ severity: 'ERROR', message: 'No probes to attach', span }];
  if (probes.length > 0 && missingProbes !== 'error') {
    errors.push({ severity: 'HINT', message: `no attach point matched any probe (missing_probes = ${missingProbes} skips those that match none)` });
  }
  return new CompileError(errors);
}
