// The `.BTF` section of a BPF object file (ELF64, little-endian), the raw BTF
// blob that plugins/btf's `Btf.fromBuffer` reads.

/** The bytes of the section named `name`, or undefined when the object has none. */
export function elfSection(object: Buffer, name: string): Buffer | undefined {
  if (object.length < 64 || object.readUInt32BE(0) !== 0x7f454c46 || object[4] !== 2 || object[5] !== 1) {
    throw new Error('not a 64-bit little-endian ELF object');
  }
  const shoff = Number(object.readBigUInt64LE(0x28));
  const shentsize = object.readUInt16LE(0x3a);
  const shnum = object.readUInt16LE(0x3c);
  const shstrndx = object.readUInt16LE(0x3e);
  const header = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: object.readUInt32LE(o), offset: Number(object.readBigUInt64LE(o + 0x18)), size: Number(object.readBigUInt64LE(o + 0x20)) };
  };
  const names = header(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = header(i);
    const at = names.offset + s.name;
    if (object.toString('latin1', at, object.indexOf(0, at)) === name) return object.subarray(s.offset, s.offset + s.size);
  }
  return undefined;
}
