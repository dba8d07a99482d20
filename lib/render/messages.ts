// bpftrace's text for everything but maps: the `Attached N probes` and `Lost
// N events` messages, print() of a value, time()/cat()/join()/system() text,
// errorf()/warnf() and run-time errors. Shared by the text output format and
// the formats that print other things as text does (folded stacks).
import type { RuntimeErrorInfo, SourceSite, TextMessageKind } from '../../sdk/index.ts';
import type { Value, ValueType } from '../../core/manifest/index.ts';
import { formatDiagnostic } from '../../core/diagnostics/index.ts';
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

/** errorf()/warnf() (stderr): `file:line:col-col: ERROR: msg`, without quoting the source (as bpftrace). */
export function formatLogf(severity: 'error' | 'warning', text: string, site: SourceSite): string {
  return formatDiagnostic({ severity: severity === 'error' ? 'ERROR' : 'WARNING', message: text, span: site.span }, new Map());
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
  return formatDiagnostic({ severity: 'WARNING', message, span: site.span }, site.sources ?? new Map());
}
