// btf: the kernel's own types. A lazy BTF reader (vmlinux and split module
// BTF), a type model with C-like queries (members through anonymous
// structs, sizes, enums, function prototypes, raw tracepoint arguments), C
// spelling of types, the CO-RE declaration emitter codegen uses, and the
// one BTF -> value type converter (value-types.ts) behind both the kernel's
// types and a script's own; and a BTF encoder (builder.ts) for types read
// from elsewhere (a binary's DWARF).
export { Btf, VMLINUX_PATH } from './btf.ts';
export type { BtfOptions } from './btf.ts';
export { KernelBtf, kernelBtf, KERNEL_BTF_DIR } from './kernel.ts';
export { readMemberLayout, type MemberLayout } from './member-layout.ts';
export type { BtfRef } from './kernel.ts';
export { typeToC } from './ctype.ts';
export type { TypeToCOptions } from './ctype.ts';
export { CDeclarations, emitCDeclarations } from './emit-c.ts';
export type { CDeclarationOptions, DeclarationRoot } from './emit-c.ts';
export { BtfError } from './model.ts';
export type { TypeId, BtfType, BtfTypeOf, BtfMember, BtfParam, BtfEnumValue, BtfDatasecVar, Linkage, Resolved, FoundMember, FuncSignature } from './model.ts';
export { KIND_NAMES } from './format.ts';
export type { KindName } from './format.ts';
export { BtfKernelTypes } from './kernel-types.ts';
export { BtfValueTypes, withBitfields } from './value-types.ts';
export { BtfBuilder } from './builder.ts';
export type { BuilderOptions } from './builder.ts';
export type { BtfTypeTagging, ResolvedOf } from './value-types.ts';
export { cDefinition } from './c-definition.ts';
