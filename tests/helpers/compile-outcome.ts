// A script through the whole compile in this process, as `--mode codegen`
// runs it (parse, prepare, expand, check, generate, clang; nothing loaded),
// classified the way the no-crash tests judge it: compiled, refused with
// located diagnostics, or failed in any other way (a JavaScript error, a
// diagnostic without a place, a clang error: each a bug).
import { createBpfscript } from '../../cli/plugins.ts';
import { compileGenerated, compileScript, type CompiledScript } from '../../core/session/index.ts';
import { CompileError, formatDiagnostic, type Diagnostic } from '../../core/diagnostics/index.ts';
import { BuildError } from '../../core/build/index.ts';
import { NoProbesError } from '../../core/probes/index.ts';

export type Outcome =
  | { kind: 'compiled'; compiled: CompiledScript; clang: boolean }
  | { kind: 'refused'; diagnostics: Diagnostic[]; text: string }
  | { kind: 'failed'; why: string };

export interface OutcomeOptions {
  /** Whether to run clang on what the type pass accepts (default: always). */
  clang?: (compiled: CompiledScript) => boolean;
  file?: string;
}

/** Compiles `text` in process; `ms` is the time it took, clang included. */
export async function compileOutcome(text: string, opts: OutcomeOptions = {}): Promise<{ outcome: Outcome; ms: number }> {
  const file = opts.file ?? 'stdin';
  const sources = new Map([[file, text]]);
  const started = performance.now();
  const outcome = await classify(text, file, sources, opts);
  return { outcome, ms: performance.now() - started };
}

async function classify(text: string, file: string, sources: Map<string, string>, opts: OutcomeOptions): Promise<Outcome> {
  try {
    const compiled = await compileScript(await createBpfscript(), { text, file, sources });
    const clang = opts.clang?.(compiled) ?? true;
    if (clang) compileGenerated(compiled);
    return { kind: 'compiled', compiled, clang };
  } catch (e) {
    if (e instanceof CompileError) {
      const rendered = e.diagnostics.map((d) => formatDiagnostic(d, sources)).join('');
      const unlocated = e.diagnostics.find((d) => d.severity === 'ERROR' && !d.span);
      if (unlocated) return { kind: 'failed', why: `an error without a place: ${unlocated.message.slice(0, 300)}` };
      return { kind: 'refused', diagnostics: e.diagnostics, text: rendered };
    }
    // bpftrace's answer when every attach point matched nothing: a message on stdout, exit 1.
    if (e instanceof NoProbesError) return { kind: 'refused', diagnostics: e.warnings, text: e.warnings.map((d) => formatDiagnostic(d, sources)).join('') + `${e.message}\n` };
    if (e instanceof BuildError) return { kind: 'failed', why: `clang refused the generated C: ${e.output.split('\n').find((l) => / error: /.test(l))?.slice(0, 300) ?? e.message}` };
    return { kind: 'failed', why: `${(e as Error).stack ?? String(e)}`.slice(0, 1000) };
  }
}
