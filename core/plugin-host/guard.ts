// A call into a third-party plugin's code (a builtin's check or emit, a
// provider's expand or attach, an action handler, a value renderer): an
// exception it throws that is not a diagnostic (or a runtime's failure, a
// RuntimeError) is reported where the script used it, with the plugin's name
// and the place in the plugin's code, instead of a bare JavaScript message. The bundled
// plugins' calls are not wrapped: an exception there is bpfscript's bug, and
// the no-crash tests must see it as one.
import { RuntimeError } from '../../sdk/index.ts';
import { CompileError, type Diagnostic, type Span } from '../diagnostics/index.ts';
import { describeOrigin, originOf } from './origins.ts';

/** A CompileError, also from another copy of bpfscript (a plugin with its own `bpfscript/sdk`). */
function diagnosticsOf(e: unknown): Diagnostic[] | undefined {
  if (e instanceof CompileError) return undefined;
  const d = (e as { name?: unknown; diagnostics?: unknown } | null)?.diagnostics;
  return (e as Error)?.name === 'CompileError' && Array.isArray(d) ? (d as Diagnostic[]) : undefined;
}

/** The first frame of a stack that is the plugin's, `at check (/x/plugin.js:12:7)`. */
function firstFrame(e: unknown): string | undefined {
  const stack = (e as Error)?.stack;
  return stack?.split('\n').find((l) => /^\s+at /.test(l))?.trim();
}

/**
 * Runs `call` (`what` is the contribution's part: `check`, `emit`, `expand`);
 * `label` names the contribution in the message (`builtin deep()`, `provider "syscall"`).
 * A RuntimeError (a kernel's refusal, from the runtime the plugin called)
 * passes unchanged: the session reports those, with missing_probes and hints.
 */
export function guarded<T>(contribution: object, label: string, what: string, span: Span | undefined, call: () => T): T {
  const origin = originOf(contribution);
  if (!origin || origin.bundled) return call();
  try {
    return call();
  } catch (e) {
    throw pluginFailure(contribution, label, what, span, e);
  }
}

/** What `guarded` throws for `e`, thrown (or a promise rejected with it) by a third-party contribution. */
export function pluginFailure(contribution: object, label: string, what: string, span: Span | undefined, e: unknown): unknown {
  const origin = originOf(contribution);
  if (!origin || origin.bundled || e instanceof CompileError || e instanceof RuntimeError) return e;
  const foreign = diagnosticsOf(e);
  if (foreign) return new CompileError(foreign);
  const message = e instanceof Error ? `${e.constructor.name === 'Error' ? '' : `${e.constructor.name}: `}${e.message}` : String(e);
  const diagnostics: Diagnostic[] = [{ severity: 'ERROR', message: `${label} of ${describeOrigin(origin)} failed in ${what}: ${message}`, span }];
  const frame = firstFrame(e);
  if (frame) diagnostics.push({ severity: 'HINT', message: frame });
  return new CompileError(diagnostics);
}
