// The enum names the output needs: every enum type that reaches user space
// (fields of event records, map keys and values, also inside tuples, records,
// structs and arrays), with its values' names from the script's or the
// kernel's types.
import type { Manifest, ValueType } from '../manifest/index.ts';
import type { KernelTypes } from '../../sdk/index.ts';

function collect(t: ValueType | undefined, into: Set<string>): void {
  if (!t) return;
  switch (t.kind) {
    case 'int':
      if (t.enumName) into.add(t.enumName);
      return;
    case 'tuple':
      for (const e of t.elements) collect(e.type, into);
      return;
    case 'record':
    case 'struct':
      for (const f of t.fields) collect(f.type, into);
      return;
    case 'array':
      collect(t.element, into);
      return;
    default:
  }
}

/** The enums of the values sent in event records (`eventFields`, whatever their actions' kinds) and stored in maps. */
export function manifestEnums(program: { eventFields: readonly ValueType[]; maps: Manifest['maps'] }, kernelTypes: KernelTypes): NonNullable<Manifest['enums']> {
  const names = new Set<string>();
  for (const t of program.eventFields) collect(t, names);
  for (const m of program.maps) {
    collect(m.keyType, names);
    if (m.value.kind === 'plain') collect(m.value.type, names);
  }
  const out: NonNullable<Manifest['enums']> = {};
  for (const name of [...names].sort()) {
    const values = kernelTypes.enumValues(name);
    if (values) out[name] = [...values].map(([v, n]) => [v.toString(), n]);
  }
  return out;
}
