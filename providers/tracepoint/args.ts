// A tracepoint's `args`: a struct type and C declaration built from its format file.
import type { KernelTypes, TracepointFormat, TracepointField, ValueType, NamedFieldLayout } from '../../sdk/index.ts';

/**
 * A pointer to a struct or union the kernel's BTF knows (`const struct
 * __kernel_timespec * rqtp`) is typed from BTF, so its members can be read
 * (`args.rqtp->tv_sec`, or `.` as bpftrace allows). Syscall arguments point
 * into user memory and are read from there.
 */
function structPointer(f: TracepointField, category: string, kernelTypes: KernelTypes | undefined): ValueType | undefined {
  const m = /^(?:(?:const|volatile)\s+)*((?:struct|union)\s+\w+)\s*\*$/.exec(f.cType.trim());
  if (!m || f.size !== 8 || !kernelTypes?.available) return undefined;
  const target = kernelTypes.byName(m[1]!.replace(/\s+/, ' '));
  if (!target) return undefined;
  const pointer = kernelTypes.pointerTo(target);
  return category === 'syscalls' && pointer.kind === 'pointer' ? { ...pointer, user: true } : pointer;
}

/**
 * A field the format file declares as an enum (`enum skb_drop_reason reason`)
 * is that BTF enum when the kernel has one of the field's size, so `%s` and
 * print() show its enumerator names.
 */
function enumField(f: TracepointField, kernelTypes: KernelTypes | undefined): ValueType | undefined {
  const m = /^(?:(?:const|volatile)\s+)*enum\s+(\w+)$/.exec(f.cType.trim());
  if (!m || f.arrayLength !== undefined || !kernelTypes?.available) return undefined;
  const t = kernelTypes.byName(`enum ${m[1]}`);
  return t?.kind === 'int' && t.enumName !== undefined && t.size === f.size ? t : undefined;
}

/**
 * A field's type. Pointers of `syscalls` tracepoints point into the calling
 * process (their arguments are user addresses): upstream reads them as user
 * memory, and so do reads through them here.
 */
function fieldType(f: TracepointField, category: string, kernelTypes: KernelTypes | undefined): ValueType {
  const typed = structPointer(f, category, kernelTypes) ?? enumField(f, kernelTypes);
  if (typed) return typed;
  const userPointers = category === 'syscalls';
  const isPointer = f.cType.includes('*');
  if (f.cType.startsWith('__data_loc')) return { kind: 'int', size: 4, signed: false };
  if (f.arrayLength !== undefined) {
    const elemSize = f.size / f.arrayLength;
    if (/\bchar\b/.test(f.cType) && elemSize === 1) return { kind: 'string', size: f.size };
    if (elemSize === 1 || elemSize === 2 || elemSize === 4 || elemSize === 8) {
      return { kind: 'array', element: { kind: 'int', size: elemSize, signed: f.signed }, length: f.arrayLength, size: f.size };
    }
  }
  // `const char *const *argv` points to `const char *` (a qualifier of the pointer itself is dropped).
  const pointee = f.cType.replace(/\*\s*$/, '').replace(/\*\s*(?:(?:const|volatile)\s*)+$/, '*').trim();
  if (isPointer && f.size === 8) return { kind: 'pointer', pointee, ...(userPointers ? { user: true } : {}) };
  if (f.size === 1 || f.size === 2 || f.size === 4 || f.size === 8) return { kind: 'int', size: f.size, signed: f.signed };
  return { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length: f.size, size: f.size };
}

export function tracepointStructName(category: string, event: string): string {
  // Upstream's name for it, so messages read the same (`struct _tracepoint_sched_sched_switch`).
  return `struct _tracepoint_${category}_${event}`.replace(/[^A-Za-z0-9_ ]/g, '_');
}

/** The `args` struct type: the format file's fields at their offsets (codegen declares it in C). */
export function tracepointArgs(format: TracepointFormat, kernelTypes?: KernelTypes): { type: ValueType } {
  const name = tracepointStructName(format.category, format.event);
  const fields: NamedFieldLayout[] = [];
  let size = 0;
  for (const f of format.fields) {
    const t = fieldType(f, format.category, kernelTypes);
    size = Math.max(size, f.offset + f.size);
    // The common_* header is not part of `args` (upstream hides it too); codegen pads over it.
    if (!f.name.startsWith('common_')) fields.push({ name: f.name, type: t, offset: f.offset, ...(f.cType.startsWith('__data_loc') ? { dataLoc: true } : {}) });
  }
  return { type: { kind: 'struct', name, fields, size } };
}

/**
 * The C of `args` over the program's `ctx` (the trace record): fields are read
 * straight from it; the whole record (print(args)) is copied with a probe
 * read, as the verifier refuses direct reads of the common header the struct
 * starts with.
 */
export function tracepointArgsC(structName: string): { c: string; inContext: true; cValue: string } {
  return {
    c: `(*(${structName} *)ctx)`,
    inContext: true,
    cValue: `({ ${structName} __args; bpf_probe_read_kernel(&__args, sizeof(__args), ctx); __args; })`,
  };
}
