// Event records to user space (the ring buffer), and the helper-error reports
// (`-k`, and failed map updates always) sent as such events.
import type { Span } from '../diagnostics/index.ts';
import type { BpfMapType, ValueType } from '../manifest/index.ts';
import type { HelperErrorAction, NewAction, RuntimeErrorAction } from '../../sdk/index.ts';
import { int64, layoutFields, uint64 } from '../types/index.ts';
import type { ProbeEmitter } from './emitter.ts';

/**
 * C that sends event `id` with the fields' values, counting a drop when the
 * ring buffer is full; `offsets` are the fields' offsets after the id.
 */
export function emitEvent(em: ProbeEmitter, id: number, fields: { type: ValueType; c: string }[]): { c: string; offsets: number[] } {
  const { offsets } = layoutFields([uint64, ...fields.map((f) => f.type)]);
  const structName = em.state.eventStruct(id, fields.map((f) => f.type), em.ctypes);
  const ev = em.name('ev');
  const assigns = fields.map((f, i) => `${em.assign(f.type, `${ev}->f${i}`, f.c)};`).join(' ');
  const c = `({ ${structName} *${ev} = bpf_ringbuf_reserve(&bs_events, sizeof(${structName}), 0); if (${ev}) { ${ev}->id = ${id}; ${assigns} bpf_ringbuf_submit(${ev}, 0); } else { bs_drop(); } })`;
  return { c, offsets: offsets.slice(1) };
}

/**
 * A helper call whose failure `-k` reports: with warnHelperErrors, a
 * negative return sends a helper_error event (helper name, return code,
 * the script location) and the value is passed on unchanged.
 */
export function checkHelper(em: ProbeEmitter, helper: string, call: string, span: Span): string {
  if (!em.config.warnHelperErrors) return call;
  const r = em.name('hr');
  const action: NewAction<HelperErrorAction> = { kind: 'helper_error', helper: helper.replace(/^bpf_/, '').replace(/^bs_/, ''), span };
  const id = em.state.addAction(action);
  const ev = emitEvent(em, id, [{ type: int64, c: r }]);
  return `({ long ${r} = ${call}; if (${r} < 0) ${ev.c}; ${r}; })`;
}

/**
 * C of a map update whose failure is always reported, not only with `-k`, as
 * upstream does for helpers whose failure the script cannot see: `update` is
 * a C expression of type long, negative when the key could not be stored (a
 * full map: -E2BIG); the helper_error event then names map_update_elem. The
 * event is sent by the prelude's bs_update_failed, a global function: the
 * verifier follows a loop that updates a map no further than without it.
 */
export function reportFailedUpdate(em: ProbeEmitter, update: string, span: Span, bpfType: BpfMapType): string {
  // An array's slots all exist: storing to one cannot fail for want of room.
  if (bpfType === 'array' || bpfType === 'percpu_array') return update;
  // In a C loop (while, range) a branch on the result keeps the verifier from
  // seeing that iterations repeat: a loop of many iterations would no longer load.
  if (em.loops.includes('c')) return update;
  const r = em.name('ur');
  // The record is the one emitEvent lays out for [int64]: the id, then the return code at 8.
  const id = em.state.addAction({ kind: 'helper_error', helper: 'map_update_elem', span } satisfies NewAction<HelperErrorAction>);
  return `({ long ${r} = ${update}; if (${r} < 0) bs_update_failed(${id}, ${r}); })`;
}

/**
 * With `-k`, C that reports a read of a map key that is not there (as
 * upstream: helper map_lookup_elem, retcode 0), followed by `;`; empty otherwise.
 */
export function reportLookupMiss(em: ProbeEmitter, span: Span): string {
  if (!em.config.warnHelperErrors) return '';
  const id = em.state.addAction({ kind: 'helper_error', helper: 'map_lookup_elem', span } satisfies NewAction<HelperErrorAction>);
  return `${emitEvent(em, id, [{ type: int64, c: '0' }]).c};`;
}

/** bpftrace's words for the errors a program finds at run time. */
export const RUNTIME_ERRORS = {
  divideByZero: 'Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.',
  arrayOutOfBounds: 'Array access out of bounds. This can lead to unexpected results.',
} as const;

/** C that reports a run-time error at `span` (a runtime_error event, no fields). */
export function runtimeError(em: ProbeEmitter, message: string, span: Span): string {
  const action: NewAction<RuntimeErrorAction> = { kind: 'runtime_error', message, span };
  return emitEvent(em, em.state.addAction(action), []).c;
}
