// The decoded type model: one plain object per BTF type, made on demand.
// Ids are global across a split BTF (a module's ids continue after vmlinux's);
// id 0 is `void`.
import type { KindName } from './format.ts';

export type TypeId = number;

export interface BtfMember {
  /** '' for an anonymous struct/union member (or an unnamed bitfield). */
  name: string;
  type: TypeId;
  /** Offset from the start of the enclosing struct/union, in bits. */
  bitOffset: number;
  /** Width of a bitfield in bits; 0 when the member is not a bitfield. */
  bitSize: number;
}

export interface BtfParam {
  /** '' where BTF has no name (function pointer types, unnamed parameters). */
  name: string;
  type: TypeId;
}

export interface BtfEnumValue {
  name: string;
  value: bigint;
}

export interface BtfDatasecVar {
  type: TypeId;
  offset: number;
  size: number;
}

export type Linkage = 'static' | 'global' | 'extern';

interface Base {
  id: TypeId;
  /** '' for anonymous types. */
  name: string;
}

export type BtfType =
  | (Base & { kind: 'void' })
  | (Base & { kind: 'int'; size: number; bits: number; bitOffset: number; signed: boolean; char: boolean; bool: boolean })
  | (Base & { kind: 'ptr'; type: TypeId })
  | (Base & { kind: 'array'; type: TypeId; indexType: TypeId; length: number })
  | (Base & { kind: 'struct'; size: number; members: BtfMember[] })
  | (Base & { kind: 'union'; size: number; members: BtfMember[] })
  | (Base & { kind: 'enum'; size: number; signed: boolean; values: BtfEnumValue[] })
  | (Base & { kind: 'enum64'; size: number; signed: boolean; values: BtfEnumValue[] })
  | (Base & { kind: 'fwd'; union: boolean })
  | (Base & { kind: 'typedef'; type: TypeId })
  | (Base & { kind: 'volatile'; type: TypeId })
  | (Base & { kind: 'const'; type: TypeId })
  | (Base & { kind: 'restrict'; type: TypeId })
  | (Base & { kind: 'type_tag'; type: TypeId })
  | (Base & { kind: 'func'; type: TypeId; linkage: Linkage })
  | (Base & { kind: 'func_proto'; returnType: TypeId; params: BtfParam[]; variadic: boolean })
  | (Base & { kind: 'var'; type: TypeId; linkage: Linkage })
  | (Base & { kind: 'datasec'; size: number; vars: BtfDatasecVar[] })
  | (Base & { kind: 'float'; size: number })
  | (Base & { kind: 'decl_tag'; type: TypeId; componentIdx: number });

export type BtfTypeOf<K extends KindName> = Extract<BtfType, { kind: K }>;

/** What `resolve()` skipped on the way to the underlying type. */
export interface Resolved {
  id: TypeId;
  type: BtfType;
  /** btf_type_tag values met on the way, outermost first (`user` marks `__user`). */
  tags: string[];
  /** Typedef names met on the way, outermost first. */
  typedefs: string[];
  isConst: boolean;
  isVolatile: boolean;
}

/** A member found by name, possibly inside anonymous struct/union members. */
export interface FoundMember {
  member: BtfMember;
  /** Offset from the start of the outer struct, in bits (anonymous containers added up). */
  bitOffset: number;
  bitSize: number;
  /** The member's type (unresolved). */
  type: TypeId;
  /** The chain from the outer struct: anonymous containers first, the member last. */
  path: { structId: TypeId; index: number; member: BtfMember }[];
}

export interface FuncSignature {
  name: string;
  /** The FUNC_PROTO's id. */
  protoId: TypeId;
  returnType: TypeId;
  params: BtfParam[];
  variadic: boolean;
}

export class BtfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtfError';
  }
}
