// libbpf's static linker (what `bpftool gen object` runs): joins BPF ELF
// objects into one, resolving extern functions and variables across them and
// merging BTF, BTF.ext (line info, CO-RE relocations) and maps.

import { BpfError, withLibbpfLog } from './errors.ts';
import { bpf, isNull, lastErrno } from './native.ts';

interface LinkFailure {
  op: string;
  errno: number;
  file: string;
}

/**
 * Links `inputs` (BPF ELF objects) into `outPath`. libbpf creates `outPath` at
 * once, so write to a temporary name and rename when several processes may race.
 * Throws a BpfError carrying libbpf's messages (`global 'f': incompatible ...`).
 */
export function linkObjects(outPath: string, inputs: readonly string[]): void {
  const { result, log } = withLibbpfLog((): LinkFailure | undefined => {
    const linker = bpf('bpf_linker__new')(outPath, null);
    if (isNull(linker)) return { op: 'bpf_linker__new', errno: lastErrno() || 22, file: outPath };
    try {
      for (const file of inputs) {
        const err: number = bpf('bpf_linker__add_file')(linker, file, null);
        if (err < 0) return { op: 'bpf_linker__add_file', errno: -err, file };
      }
      const err: number = bpf('bpf_linker__finalize')(linker);
      if (err < 0) return { op: 'bpf_linker__finalize', errno: -err, file: outPath };
      return undefined;
    } finally {
      bpf('bpf_linker__free')(linker);
    }
  });
  if (result) {
    const what = result.op === 'bpf_linker__add_file' ? `failed to link '${result.file}'` : `failed to write linked object '${result.file}'`;
    throw new BpfError(what, { op: result.op, errno: result.errno, log });
  }
}
