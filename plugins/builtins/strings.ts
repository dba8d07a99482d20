// String builtins that need the type system: strncmp (upstream's builtin,
// with its literal length) and __builtin_str_concat, the intrinsic behind
// stdlib/strings.bt's str_concat(), whose result is a string as big as both
// arguments. The other string functions are macros in stdlib/strings.bt.
import { types, type Builtin, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';

/** A type's kind as upstream's messages name it (`int`, `string`, `pointer`...). */
export function kindName(t: ValueType): string {
  switch (t.kind) {
    case 'int': return 'int';
    case 'struct': return 'c_type';
    case 'none': return 'none';
    default: return t.kind;
  }
}

/** Up to n bytes of two strings compared; a string ends at its first NUL or at its capacity. */
const STRNCMP_C = `static __always_inline long bs_strncmp(const char *a, __u32 acap, const char *b, __u32 bcap, __u64 n)
{
  for (__u64 i = 0; i < n; i++) {
    char ca = i < acap ? a[i] : 0;
    char cb = i < bcap ? b[i] : 0;
    if (ca != cb)
      return 1;
    if (ca == 0)
      return 0;
  }
  return 0;
}
`;

const strncmp: Builtin = {
  name: 'strncmp',
  doc: [
    ':variant int64 strncmp(string s1, string s2, int64 n)',
    'Compares at most the first `n` characters of `s1` and `s2`: 0 when they are',
    'equal, 1 when they differ. `n` must be a literal (or a positional parameter).',
    'A string ends at its first NUL: nothing past the shorter string is read.',
    '',
    'The `==` and `!=` operators are the usual way to compare whole strings.',
    '',
    '```',
    'tracepoint:syscalls:sys_enter_openat /strncmp(comm, "bash", 4) == 0/ { @[str(args.filename)] = count(); }',
    '```',
  ].join('\n'),
  check(args, tc, span) {
    expectArgs('strncmp', args, 3, 3, tc, span);
    for (const a of args.slice(0, 2)) {
      const t = tc.typeOf(exprArg(a, tc));
      if (t.kind !== 'string') tc.fail(`strncmp() only supports string arguments (${kindName(t)} provided)`, a.span);
    }
    const n = exprArg(args[2], tc);
    const t = tc.typeOf(n);
    const value = tc.constant(n);
    if (t.kind !== 'int' || value === undefined || value < 0n) tc.fail('Builtin strncmp requires a non-negative literal', n.span);
    return types.int64;
  },
  emit(args, ec) {
    ec.declare(STRNCMP_C);
    // A big string (in the probe's frame) is compared where it is; a small one is held in a temporary.
    const [a, b] = [args[0] as Expr, args[1] as Expr].map((e) => {
      const t = ec.typeOf(e) as { kind: 'string'; size: number };
      const c = ec.expr(e);
      if (ec.inFrame(t)) return { set: '', s: `(${c}).s`, size: t.size };
      const v = ec.temp(t);
      return { set: `${v} = ${c}, `, s: `${v}.s`, size: t.size };
    });
    const n = ec.constant(args[2] as Expr)!;
    return `(${a!.set}${b!.set}bs_strncmp(${a!.s}, ${a!.size}, ${b!.s}, ${b!.size}, ${n}ULL))`;
  },
};

/** Bytes of a string or int8-array value, the kinds str_concat() joins. */
function concatPart(t: ValueType): number | undefined {
  if (t.kind === 'string') return t.size;
  if (t.kind === 'array' && t.element.kind === 'int' && t.element.size === 1) return t.length;
  return undefined;
}

const strConcat: Builtin = {
  name: '__builtin_str_concat',
  doc: [
    ':variant string __builtin_str_concat(string a, string b)',
    'The intrinsic behind `str_concat()`: `a` then `b` in a string of',
    '`sizeof(a) + sizeof(b) - 1` bytes. Arrays of `int8` are taken as strings.',
  ].join('\n'),
  check(args, tc, span) {
    expectArgs('__builtin_str_concat', args, 2, 2, tc, span);
    const sizes = args.map((a) => {
      const t = tc.typeOf(exprArg(a, tc));
      const n = concatPart(t);
      if (n === undefined) return tc.fail(`str_concat() only supports string arguments (${kindName(t)} provided)`, a.span);
      return n;
    });
    return types.stringType(Math.max(1, sizes[0]! + sizes[1]! - 1));
  },
  emit(args, ec) {
    // A big part (in the probe's frame) is read where it is; a small one is held in a temporary.
    const [a, b] = (args as Expr[]).map((e) => {
      const t = ec.typeOf(e);
      const c = ec.expr(e);
      if (ec.inFrame(t)) return { set: '', at: `&(${c})`, size: concatPart(t)! };
      const v = ec.temp(t);
      return { set: `${v} = ${c}, `, at: `&${v}`, size: concatPart(t)! };
    });
    const resultType = types.stringType(Math.max(1, a!.size + b!.size - 1));
    const result = ec.temp(resultType);
    const big = ec.inFrame(resultType);
    const n = ec.temp(types.int64);
    // a up to its NUL (a full array loses its last byte to the NUL), then b from
    // there: the offset is at most sizeof(a) - 1, so both reads stay in the result.
    const parts = [
      `${a!.set}${b!.set}${big ? 'bs_big_zero' : '__builtin_memset'}(&${result}, ${big ? '' : '0, '}sizeof(${result})),`,
      `${n} = bpf_probe_read_kernel_str(${result}.s, ${a!.size}, ${a!.at}),`,
      `${n} = ${n} < 1 ? 0 : (${n} > ${a!.size} ? ${a!.size} - 1 : ${n} - 1),`,
      `bpf_probe_read_kernel_str(${result}.s + ${n}, ${b!.size}, ${b!.at}),`,
    ].join(' ');
    return big ? `(*(${parts} &${result}))` : `(${parts} ${result})`;
  },
};

export const stringBuiltins: Builtin[] = [strncmp, strConcat];
