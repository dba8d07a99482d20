// Addresses and address spaces: kptr()/uptr() mark a pointer as kernel or user
// memory (how its members and targets are read), percpu_kaddr() is a CPU's
// copy of a per-CPU kernel variable, and the intrinsics behind the stdlib's
// uaddr(): a symbol of the probed ELF file (__builtin_uaddr), whether that
// file has fixed addresses (__builtin_elf_is_exe) and its inode
// (__builtin_elf_ino), with which the BPF side finds where it is loaded.
import { readFileSync, statSync } from 'node:fs';
import { types, type Builtin, type CheckContext, type Span, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { ElfFile, ET_EXEC, ElfError, kernelSymbolAddress } from '../../lib/host/index.ts';
import { withDoc, expectArgs, exprArg } from './define.ts';

/** kptr(p), uptr(p): the same pointer in the kernel's or the user's address space; integers pass unchanged. */
function addressSpace(name: 'kptr' | 'uptr'): Builtin {
  const user = name === 'uptr';
  return {
    name,
    doc: `:variant T * ${name}(T * ptr)
Marks \`ptr\` as a ${user ? 'user' : 'kernel'} address space pointer: its members and
what it points at are read from ${user ? 'user' : 'kernel'} memory. The pointer type is left unchanged.`,
    check(args, tc, span) {
      expectArgs(name, args, 1, 1, tc, span);
      const t = tc.typeOf(exprArg(args[0], tc));
      if (t.kind === 'pointer') return { ...t, user };
      if (t.kind === 'int') return t;
      return tc.fail(`${name}() only supports integer or pointer arguments (${t.kind} provided)`, args[0].span);
    },
    emit(args, ec) {
      return `(${ec.expr(args[0] as Expr)})`;
    },
  };
}

const uint64Pointer: ValueType = { kind: 'pointer', pointee: 'uint64' };

const percpuKaddr: Builtin = {
  name: 'percpu_kaddr',
  doc: `:variant uint64 *percpu_kaddr(const string name)
:variant uint64 *percpu_kaddr(const string name, int cpu)
The address of the per-CPU kernel variable \`name\` for CPU \`cpu\` (the current
CPU when omitted). The variable is found in the kernel's BTF. With \`cpu\`, the
result is NULL for a CPU that does not exist: check it before reading fields.

\`\`\`
interval:s:1 { $rq = (struct rq *)percpu_kaddr("runqueues", 0); if ($rq != 0) { print($rq.nr_running); } }
\`\`\``,
  check(args, tc, span) {
    expectArgs('percpu_kaddr', args, 1, 2, tc, span);
    const name = args[0];
    if (name.kind !== 'String') return tc.fail('percpu_kaddr() expects a string literal (a kernel variable name)', name.span);
    if (!tc.kernelTypes.variable(name.value)) tc.fail(`Could not resolve variable "${name.value}" from BTF`, span);
    // The verifier resolves the variable through kallsyms, which lists data only with CONFIG_KALLSYMS_ALL.
    if (kernelSymbolAddress(name.value) === undefined) {
      tc.fail(`percpu_kaddr: the kernel cannot resolve "${name.value}": /proc/kallsyms does not list it (a kernel built without CONFIG_KALLSYMS_ALL lists functions only)`, span);
    }
    if (args[1]) {
      const t = tc.typeOf(exprArg(args[1], tc));
      if (t.kind !== 'int') tc.fail(`percpu_kaddr() expects an integer cpu, got ${types.typeName(t)}`, args[1].span);
    }
    return uint64Pointer;
  },
  emit(args, ec) {
    const name = (args[0] as Extract<Expr, { kind: 'String' }>).value;
    const variable = ec.kernelTypes.variable(name)!;
    // A typed __ksym: libbpf finds it in the kernel's BTF (no kallsyms entry needed).
    ec.declare(`extern const ${ec.ctype(variable.type)} ${name} __ksym;\n`);
    const ptr = args[1] ? `bpf_per_cpu_ptr(&${name}, (__u32)(${ec.expr(args[1] as Expr)}))` : `bpf_this_cpu_ptr(&${name})`;
    return `((__u64 *)${ptr})`;
  },
};

/** The ELF file a uprobe or USDT probe is in; fails elsewhere, in upstream's words. */
function probedFile(name: string, tc: CheckContext, span: Span): string {
  const binary = tc.probe.target.binary;
  if (typeof binary !== 'string') {
    const probetype = tc.probe.provider === 'begin' || tc.probe.provider === 'end' ? 'special' : tc.probe.provider;
    return tc.fail(`${name} can not be used for this probetype: ${probetype}`, span);
  }
  return binary;
}

function readElf(path: string, tc: CheckContext, span: Span): ElfFile {
  try {
    return new ElfFile(readFileSync(path), path);
  } catch (e) {
    return tc.fail(e instanceof ElfError ? e.message : `Could not read ${path}`, span);
  }
}

/** __builtin_uaddr("sym"): the symbol's address in the probed file, a user pointer sized by the symbol (uint8/16/32, else uint64). */
const builtinUaddr: Builtin = {
  name: '__builtin_uaddr',
  doc: `:variant T * __builtin_uaddr(const string sym)
The address of symbol \`sym\` in the probed binary, a user pointer sized by the
symbol (\`uint8\`, \`uint16\`, \`uint32\`, else \`uint64\`). The intrinsic under
\`uaddr()\`, which adds the load address of a position-independent binary.`,
  check(args, tc, span) {
    expectArgs('uaddr', args, 1, 1, tc, span);
    const sym = args[0];
    if (sym.kind !== 'String') return tc.fail('uaddr() expects a string literal (a symbol name)', sym.span);
    const path = probedFile('uaddr', tc, span);
    const found = readElf(path, tc, span).symbols().find((s) => s.name === sym.value && s.shndx !== 0);
    if (!found) return tc.fail(`Could not resolve symbol: ${path}:${sym.value}`, span);
    const bits = found.size === 1n || found.size === 2n || found.size === 4n ? Number(found.size) * 8 : 64;
    return { kind: 'pointer', pointee: `uint${bits}`, user: true };
  },
  emit(args, ec) {
    const sym = args[0] as Extract<Expr, { kind: 'String' }>;
    const path = String(ec.probe.target.binary);
    const found = new ElfFile(readFileSync(path), path).symbols().find((s) => s.name === sym.value && s.shndx !== 0)!;
    return `((__u64)${found.value}ULL)`;
  },
};

/** A compile-time fact about the probed file. */
function elfFact(name: string, what: string, type: ValueType, value: (path: string, tc: CheckContext, span: Span) => bigint): Builtin {
  return {
    name,
    bareword: true,
    check(args, tc, span) {
      expectArgs(name, args, 0, 0, tc, span);
      value(probedFile(what, tc, span), tc, span);
      return type;
    },
    constant: (_args, tc) => value(String(tc.probe.target.binary), tc, { file: '', line: 0, col: 0, endLine: 0, endCol: 0 }),
    emit() {
      throw new Error(`${name} is folded at compile time`);
    },
  };
}

const elfIsExe = withDoc(
  elfFact('__builtin_elf_is_exe', 'elf_is_exe', types.boolType, (path, tc, span) => (readElf(path, tc, span).type === ET_EXEC ? 1n : 0n)),
  `:variant bool __builtin_elf_is_exe()
Whether the probed binary has fixed addresses (an ELF \`ET_EXEC\`, not a
position-independent executable or library); known at compile time.`,
);
const elfIno = withDoc(
  elfFact('__builtin_elf_ino', 'elf_info', types.uint64, (path) => BigInt(statSync(path).ino)),
  `:variant uint64 __builtin_elf_ino()
The inode number of the probed binary, known at compile time: \`uaddr()\` finds
the binary's load address by it in the process's mappings.`,
);

export const addressBuiltins: Builtin[] = [addressSpace('kptr'), addressSpace('uptr'), percpuKaddr, builtinUaddr, elfIsExe, elfIno];
