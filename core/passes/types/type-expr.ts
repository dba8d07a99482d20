// Turns a written type (`uint32`, `string[64]`, `int8[4]`) into a ValueType.
import type { TypeExpr } from '../../syntax/ast.ts';
import type { ValueType } from '../../manifest/index.ts';
import { errorAt } from '../../diagnostics/index.ts';
import { boolType, intType, sizeOf, stringType } from '../../types/index.ts';
import type { KernelTypes } from '../../../sdk/index.ts';

const intNames: Record<string, [1 | 2 | 4 | 8, boolean]> = {
  int8: [1, true], int16: [2, true], int32: [4, true], int64: [8, true],
  uint8: [1, false], uint16: [2, false], uint32: [4, false], uint64: [8, false],
  int8_t: [1, true], int16_t: [2, true], int32_t: [4, true], int64_t: [8, true],
  uint8_t: [1, false], uint16_t: [2, false], uint32_t: [4, false], uint64_t: [8, false],
  char: [1, true], short: [2, true], int: [4, true], long: [8, true],
  u8: [1, false], u16: [2, false], u32: [4, false], u64: [8, false],
  s8: [1, true], s16: [2, true], s32: [4, true], s64: [8, true],
  pid_t: [4, true], size_t: [8, false],
};

/** A builtin integer type's name (`size_t`, `u32`, `int64_t`...). */
export function isIntegerTypeName(name: string): boolean {
  return Object.hasOwn(intNames, name);
}

/**
 * A pointee's spelling: an alias of a builtin integer (`size_t`, `u64`) is
 * that integer (`uint64`), so `(size_t *)` and `&$u64` are one pointer type.
 * `char` stays `char`: a C string's pointer.
 */
function integerSpelling(name: string): string {
  const i = isIntegerTypeName(name) && name !== 'char' ? intNames[name] : undefined;
  return i ? `${i[1] ? 'int' : 'uint'}${i[0] * 8}` : name;
}

export interface TypeResolution {
  /** Resolves `typeof(...)`; without it typeof is refused (no expression context). */
  typeofOf?: (t: Extract<TypeExpr, { kind: 'TypeofType' }>) => ValueType;
  /** Kernel types (BTF) for `struct task_struct`, typedefs like `pid_t`... */
  kernelTypes?: KernelTypes;
}

export function resolveTypeExpr(t: TypeExpr, how: TypeResolution = {}): ValueType {
  switch (t.kind) {
    case 'NamedType': {
      const i = intNames[t.name];
      if (i) return intType(i[0], i[1]);
      if (t.name === 'bool') return boolType;
      if (t.name === 'string') return stringType(t.size ?? 64);
      if (t.name === 'buffer') return { kind: 'buffer', size: t.size ?? 64 };
      const kernel = how.kernelTypes?.byName(t.name);
      if (kernel) return kernel.kind === 'struct' ? how.kernelTypes!.complete(kernel) : kernel;
      throw errorAt(t.span, `Unknown type: ${t.name}`);
    }
    case 'PointerType': {
      if (t.pointee.kind === 'NamedType' && (t.pointee.name === 'void' || intNames[t.pointee.name] || t.pointee.name === 'bool')) {
        return { kind: 'pointer', pointee: integerSpelling(t.pointee.name) };
      }
      const pointee = resolveTypeExpr(t.pointee, how);
      // A pointer to a pointer names its pointee's spelling (`int32 *`); reading through it resolves that again.
      if (pointee.kind === 'pointer') return { kind: 'pointer', pointee: `${pointee.pointee}${pointee.pointee.endsWith('*') ? '' : ' '}*` };
      if (how.kernelTypes && pointee.kind === 'struct') return how.kernelTypes.pointerTo(pointee);
      return { kind: 'pointer', pointee: t.pointee.kind === 'NamedType' ? t.pointee.name : 'void' };
    }
    case 'ArrayType': {
      const element = resolveTypeExpr(t.element, how);
      if (t.length === undefined) throw errorAt(t.span, 'Array type needs a length here');
      return { kind: 'array', element, length: t.length, size: sizeOf(element) * t.length };
    }
    case 'TypeofType':
      if (!how.typeofOf) throw errorAt(t.span, 'typeof() is not supported in this position');
      return how.typeofOf(t);
  }
}
