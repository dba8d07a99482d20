// The `.BTF` section of a BPF object file, the raw BTF blob that lib/btf's
// `Btf.fromBuffer` reads.
import { ElfFile } from '../../../lib/host/elf-file.ts';

/** The bytes of the section named `name`, or undefined when the object has none. */
export function elfSection(object: Buffer, name: string): Buffer | undefined {
  const elf = new ElfFile(object, 'object');
  const s = elf.section(name);
  return s && elf.data(s);
}
