// bpftrace's text for everything but maps: the `Attached N probes` and `Lost
// N events` messages, print() of a value, time()/cat()/join()/system() text,
// errorf()/warnf() and run-time errors. Shared by the text output format and
// the formats that print other things as text does (folded stacks).
import type { RuntimeErrorInfo, SourceSite, TextMessageKind } from '../../sdk/index.ts';
import type { Value, ValueType } from '../../core/manifest/index.ts';
import { formatDiagnostic, type Severity, type Span } from '../../core/diagnostics/index.ts';
import { formatValue, type EnumNames } from './value.ts';

/** `Attached N probes` (stderr), singular for one. */
export function formatAttachedProbes(count: number): string {
  return `Attached ${count} ${count === 1 ? 'probe' : 'probes'}\n`;
}

/** `Lost N events` (stderr): events dropped because the ring buffer was full. */
export function formatLostEvents(count: number | bigint): string {
  return `Lost ${count} events\n`;
}

/** `print(value)` of a non-map value: the value and a newline. */
export function formatPrintValue(value: Value, type: ValueType, opts: { enumNames?: EnumNames } = {}): string {
  return formatValue(value, type, opts) + '\n';
}

/** time() and cat() print their text as is; join() and system() add a newline (as bpftrace). */
export function formatTextMessage(kind: TextMessageKind, text: string): string {
  return kind === 'join' || kind === 'syscall' ? text + '\n' : text;
}

/** errorf()/warnf() (stderr): `file:line:col-col: ERROR: msg`, without quoting the source (as bpftrace); then the macro calls it came through. */
export function formatLogf(severity: 'error' | 'warning', text: string, site: SourceSite): string {
  const s = severity === 'error' ? 'ERROR' : 'WARNING';
  return formatDiagnostic({ severity: s, message: text, span: withoutExpansion(site.span) }, new Map()) + expansionChain(s, site);
}

function withoutExpansion(span: Span | undefined): Span | undefined {
  if (!span) return undefined;
  const { expandedFrom: _, ...rest } = span;
  return rest;
}

/**
 * A run-time message from a macro's body names each call it was expanded
 * from, outermost last, as bpftrace does: `file:line:col: ERROR: expanded
 * from` and the call's source line.
 */
function expansionChain(severity: Severity, site: SourceSite): string {
  let out = '';
  for (let from = site.span?.expandedFrom; from; from = from.call.expandedFrom) {
    out += formatDiagnostic({ severity, message: 'expanded from', span: withoutExpansion(from.call) }, site.sources ?? new Map());
  }
  return out;
}

/** What bpftrace says for a failed helper: a plainer message for the common map cases, else strerror. */
function helperErrorText(e: Extract<RuntimeErrorInfo, { kind: 'helper' }>): string {
  if (e.helper === 'map_update_elem' && e.retcode === -7) {
    return "Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. `let @a = hash(5000)`";
  }
  if (e.helper === 'map_delete_elem' && e.retcode === -2) return "Can't delete map element because it does not exist.";
  if (e.helper === 'map_lookup_elem') return "Can't lookup map element because it does not exist.";
  return e.message;
}

/** A run-time error (stderr): a WARNING at the call's location quoting the source line; helpers add their name and retcode. */
export function formatRuntimeError(error: RuntimeErrorInfo, site: SourceSite): string {
  const message =
    error.kind === 'helper' ? `${helperErrorText(error)}\nAdditional Info - helper: ${error.helper}, retcode: ${error.retcode}` : error.message;
  return formatDiagnostic({ severity: 'WARNING', message, span: withoutExpansion(site.span) }, site.sources ?? new Map()) + expansionChain('WARNING', site);
}
