// Names that fold to compile-time constants, as builtins (so the type pass
// and codegen treat them like `arch` or `probetype`): the script's `#define`
// macros (integer and string constants, and expressions of them), the
// enumerators of its enums, and the kernel's enumerators found by name in
// kernel BTF. An enumerator has its enum's type, 64 bits wide (as upstream),
// so it prints by name.
import { types, type Builtin, type CheckContext, type KernelTypes, type Span, type ValueType } from '../../../sdk/index.ts';
import type { Btf, BtfTypeOf } from '../../../lib/btf/index.ts';
import { ConstExprError, evaluateConstant, type ConstValue } from './const-expr.ts';
import type { MacroDefinition } from './scan.ts';
import type { EnumConstant } from './script-types.ts';

type Folded = { type: ValueType; value: bigint | string } | { error: string };

/** A bare name whose value is known when the script is checked; `fold` runs once, errors are reported where the name is used. */
function foldedBuiltin(name: string, fold: () => Folded): Builtin {
  let folded: Folded | undefined;
  const value = () => (folded ??= fold());
  return {
    name,
    bareword: true,
    check(args, tc: CheckContext, span: Span) {
      const v = value();
      if ('error' in v) return tc.fail(v.error, span);
      if (args.length > 0) return tc.fail(`${name} is a constant, not a function`, span);
      return v.type;
    },
    constant() {
      const v = value();
      return 'error' in v ? undefined : v.value;
    },
    emit() {
      throw new Error(`${name} is folded at compile time`);
    },
  };
}

function enumFolded(c: EnumConstant): Folded {
  const signed = c.type.kind === 'int' && c.type.signed;
  return { type: c.type, value: BigInt[signed ? 'asIntN' : 'asUintN'](64, c.value) };
}

export function enumConstantBuiltin(c: EnumConstant): Builtin {
  return foldedBuiltin(c.name, () => enumFolded(c));
}

/** An enumerator of the script, looked up when the name is first used. */
export function lazyEnumConstantBuiltin(name: string, find: (name: string) => EnumConstant | undefined): Builtin {
  return foldedBuiltin(name, () => {
    const c = find(name);
    return c ? enumFolded(c) : { error: `${name} is not an enumerator of a file-scope enum` };
  });
}

/** A kernel enumerator by name (`PIDTYPE_TGID`, `SKB_DROP_REASON_NOT_SPECIFIED`), typed by its enum. */
export function kernelEnumConstant(btf: Btf, name: string): EnumConstant | undefined {
  const hit = btf.findEnumerator(name)[0];
  if (!hit) return undefined;
  const t = btf.type(hit.id) as BtfTypeOf<'enum' | 'enum64'>;
  return { name, value: hit.value, type: { kind: 'int', size: 8, signed: t.signed, ...(t.name ? { enumName: t.name } : {}) } };
}

const C_INTEGERS: Record<string, [number, boolean]> = {
  char: [1, true], 'signed char': [1, true], 'unsigned char': [1, false], _Bool: [1, false],
  short: [2, true], 'short int': [2, true], 'signed short': [2, true], 'unsigned short': [2, false], 'unsigned short int': [2, false], 'short unsigned int': [2, false],
  int: [4, true], signed: [4, true], 'signed int': [4, true], unsigned: [4, false], 'unsigned int': [4, false],
  long: [8, true], 'long int': [8, true], 'signed long': [8, true], 'unsigned long': [8, false], 'unsigned long int': [8, false], 'long unsigned int': [8, false],
  'long long': [8, true], 'long long int': [8, true], 'unsigned long long': [8, false], 'unsigned long long int': [8, false], 'long long unsigned int': [8, false],
  int8_t: [1, true], int16_t: [2, true], int32_t: [4, true], int64_t: [8, true],
  uint8_t: [1, false], uint16_t: [2, false], uint32_t: [4, false], uint64_t: [8, false], size_t: [8, false], ssize_t: [8, true],
};

/** The script's macros, evaluated on first use. */
export class MacroConstants {
  private readonly values = new Map<string, ConstValue | ConstExprError>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly macros: ReadonlyMap<string, MacroDefinition>,
    /** Enumerators (the script's, then the kernel's) by name. */
    private readonly enumerator: (name: string) => bigint | undefined,
    /** The script's and the kernel's types, for casts and sizeof in macro bodies. */
    private readonly typesByName: KernelTypes,
  ) {}

  /** The value of an object-like macro; throws a ConstExprError saying why it is not a constant. */
  evaluate(name: string): ConstValue {
    let v = this.values.get(name);
    if (!v) {
      v = this.compute(name);
      this.values.set(name, v);
    }
    if (v instanceof ConstExprError) throw v;
    return v;
  }

  private compute(name: string): ConstValue | ConstExprError {
    const m = this.macros.get(name)!;
    if (m.params) return new ConstExprError(`it takes arguments (${m.params.join(', ')}): only macros that expand to a constant can be used`);
    if (this.evaluating.has(name)) return new ConstExprError(`'${name}' refers to itself`);
    this.evaluating.add(name);
    try {
      return evaluateConstant(m.body, {
        identifier: (id) => {
          if (this.macros.has(id) && !this.macros.get(id)!.params) return this.evaluate(id);
          const e = this.enumerator(id);
          return e === undefined ? undefined : { kind: 'int', value: BigInt.asUintN(64, e), unsigned: false };
        },
        integerType: (spelling) => {
          const known = C_INTEGERS[spelling];
          if (known) return { size: known[0], signed: known[1] };
          const t = this.typesByName.byName(spelling);
          if (t?.kind === 'int') return { size: t.size, signed: t.signed };
          return t?.kind === 'bool' ? { size: 1, signed: false } : undefined;
        },
        sizeOfType: (spelling) => {
          if (spelling.endsWith('*')) return 8;
          const known = C_INTEGERS[spelling];
          if (known) return known[0];
          const t = this.typesByName.byName(spelling);
          return t ? types.sizeOf(t) : undefined;
        },
      });
    } catch (e) {
      if (e instanceof ConstExprError) return e;
      throw e;
    } finally {
      this.evaluating.delete(name);
    }
  }

  builtin(name: string): Builtin {
    const m = this.macros.get(name)!;
    return foldedBuiltin(name, () => {
      try {
        const v = this.evaluate(name);
        if (v.kind === 'string') return { type: types.stringType(Buffer.byteLength(v.value, 'latin1') + 1), value: v.value };
        return v.unsigned ? { type: types.uint64, value: v.value } : { type: types.int64, value: BigInt.asIntN(64, v.value) };
      } catch (e) {
        if (!(e instanceof ConstExprError)) throw e;
        return { error: `Macro ${name} (defined at ${m.file}:${m.line}) is not a constant: ${e.message}` };
      }
    });
  }
}
