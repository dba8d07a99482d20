// The clock tseries() files values by: the kernel's boot clock, or, under
// BPFTRACE_DUMMY_TS_MAP=@ts (a test aid, as upstream's runtime tests use it),
// the value of the scalar map @ts, so a script decides which interval each
// value falls in. The map's values are shown as wall-clock nanoseconds.
import { CompileError, type EmitContext, type MapInfo, type Span, type ValueType } from '../../sdk/index.ts';

/** A C expression of the current time in ns, for tseries() to bucket by. */
export function tseriesNow(ec: EmitContext): string {
  const name = ec.config.dummyTsMap;
  if (!name) return 'bpf_ktime_get_boot_ns()';
  const { cName, valueType } = clockMap(ec, name);
  return `({ __u64 __ts_key = 0; const ${ec.ctype(valueType)} *__ts_clock = bpf_map_lookup_elem(&${cName}, &__ts_key); __ts_clock ? (__u64)*__ts_clock : 0; })`;
}

function clockMap(ec: EmitContext, name: string): { cName: string; valueType: ValueType } {
  const fail = (problem: string): never => {
    throw new CompileError([{ severity: 'ERROR', message: `BPFTRACE_DUMMY_TS_MAP: map ${name} ${problem}` }]);
  };
  let map: MapInfo | undefined;
  try {
    map = ec.map({ kind: 'MapRef', name, span: nowhere });
  } catch {
    return fail('is not used by the program');
  }
  if (map.keyType) return fail('must be a scalar map (no keys)');
  const v = map.value;
  // Any integer: a map of `(uint64)` values is an int64 map here; the clock reads its bits as unsigned.
  if (v.kind !== 'plain' || v.type.kind !== 'int') return fail('must hold integers');
  return { cName: map.cName, valueType: v.type };
}

const nowhere: Span = { file: '', line: 0, col: 0, endLine: 0, endCol: 0 };
