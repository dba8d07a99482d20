// `args` of a uprobe, from the binary's DWARF (lib/dwarf): a record of the
// function's parameters, each read from the register the x86-64 calling
// convention passes it in at the function's entry (di, si, dx, cx, r8, r9),
// as bpftrace builds it. Pointers are user-space pointers, so
// `args.foo->a`, `*args.n` and `str(args.name)` read the process's memory.
// Also `-lv`'s parameter lists (`    struct Foo* foo1`), spelled as bpftrace
// spells DWARF types.
import { createHash } from 'node:crypto';
import type { ContextValue, ExpandedProbe, NamedFieldLayout, ProviderEnv, ValueType } from '../../sdk/index.ts';
import { binaryDebugInfo, DwarfError, type BinaryDebugInfo, type FunctionParams } from '../../lib/dwarf/index.ts';
import { elfFunctions } from '../../lib/host/index.ts';
import { argumentRegister, ARGUMENT_REGISTER_COUNT } from '../shared/registers.ts';

/** The binary's debug information (its DWARF or a separate debug file), searched with `--debuginfo` first. */
export function debugInfoOf(binary: string, env: ProviderEnv): BinaryDebugInfo | undefined {
  try {
    return binaryDebugInfo(binary, env.config.debuginfoDirs ?? []);
  } catch (e) {
    if (e instanceof DwarfError) return env.fail(`Could not read the debug information of ${binary}: ${e.message}`);
    throw e;
  }
}

function parametersOf(info: BinaryDebugInfo, binary: string, fn: string, env: ProviderEnv): FunctionParams | undefined {
  const symbol = elfFunctions(binary).find((s) => s.name === fn);
  try {
    return info.types.functionParams(symbol?.address, fn);
  } catch (e) {
    if (e instanceof DwarfError) return env.fail(`Could not read the debug information of ${binary}: ${e.message}`);
    throw e;
  }
}

/** How many argument registers a parameter takes (x86-64 SysV); a reason when `args` cannot read it. */
function registersFor(p: FunctionParams['params'][number]): number | string {
  const t = p.btf.resolve(p.id).type;
  switch (t.kind) {
    case 'int':
      return t.size <= 8 ? 1 : t.size === 16 ? 2 : 'an integer of that size is not passed in registers';
    case 'ptr':
    case 'enum':
    case 'enum64':
      return 1;
    case 'float':
      return 'a floating-point value is passed in a vector register, which uprobes do not see';
    case 'struct':
    case 'union':
      return 'a struct or union passed by value is not read from registers';
    default:
      return 'its type is not read from registers';
  }
}

/** `args` for a uprobe at a function's entry; undefined for probes without a function (addresses, source lines). */
export function uprobeArgs(probe: ExpandedProbe, env: ProviderEnv): ContextValue | undefined {
  const fn = probe.target.function;
  if (fn === undefined) return undefined;
  const binary = String(probe.target.binary);
  const info = debugInfoOf(binary, env);
  if (!info) return env.fail(`Could not parse arguments of "${probe.name}": no debuginfo found for ${binary}`);
  const f = parametersOf(info, binary, String(fn), env);
  if (!f || f.params.length === 0) return env.fail('Cannot read function parameters');
  const fields: NamedFieldLayout[] = [];
  const reads: string[] = [];
  let register = 0;
  let offset = 0;
  for (const p of f.params) {
    const regs = registersFor(p);
    if (typeof regs === 'string') return env.fail(`Could not parse argument "${p.name}" of "${probe.name}": ${regs}`);
    const size = p.btf.sizeof(p.id);
    if (register + regs > ARGUMENT_REGISTER_COUNT) {
      return env.fail(`Could not parse arguments of "${probe.name}": 'args' builtin is not supported for probes with stack-passed arguments.`);
    }
    offset = Math.ceil(offset / Math.min(size, 8)) * Math.min(size, 8);
    fields.push({ name: p.name, type: p.type, offset });
    reads.push(
      regs === 2
        ? `__builtin_memcpy(&__ua.${p.name}, (__u64[2]){ ${argumentRegister(register)}, ${argumentRegister(register + 1)} }, 16);`
        : // Only the parameter's own bytes of the register are defined (a bool's upper bits may be anything).
          `__ua.${p.name} = (__typeof__(__ua.${p.name}))${size < 8 ? `(__u${size * 8})` : ''}${argumentRegister(register)};`,
    );
    register += regs;
    offset += size;
  }
  const name = `struct bs_uargs_${createHash('sha256').update(`${binary}\0${f.name}`).digest('hex').slice(0, 12)}`;
  const type: ValueType = { kind: 'struct', name, fields, size: Math.ceil(offset / 8) * 8 };
  return { type, c: `({ ${name} __ua = {}; ${reads.join(' ')} __ua; })` };
}

/** `-lv`: a uprobe's parameters from DWARF (none when the binary has no debug information for it). */
export function describeUprobeArguments(probeName: string, env: ProviderEnv): string[] {
  const first = probeName.indexOf(':');
  const last = probeName.lastIndexOf(':');
  if (first < 0 || last <= first) return [];
  const binary = probeName.slice(first + 1, last);
  const fn = probeName.slice(last + 1);
  const info = debugInfoOf(binary, env);
  const f = info && parametersOf(info, binary, fn, env);
  return f ? f.params.map((p) => `    ${p.cType} ${p.name}`) : [];
}
