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
import { argumentRegister, ARGUMENT_REGISTERS } from '../shared/registers.ts';

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

/** How many argument registers a parameter takes; a reason when `args` cannot read it. */
function registersFor(t: ValueType, size: number): number | string {
  switch (t.kind) {
    case 'int':
    case 'bool':
    case 'pointer':
      return 1;
    case 'array':
      // A 128-bit integer (an array of 16 bytes as a value type) is passed in a register pair.
      if (size === 16 && t.element.kind === 'int' && t.element.size === 1) return 2;
      return 'it is passed by value, which args cannot read from registers';
    case 'struct':
      return 'it is a struct or union passed by value, which args cannot read from registers';
    default:
      return 'its type cannot be read from registers';
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
    const size = p.type.kind === 'array' ? p.type.size : p.type.kind === 'pointer' ? 8 : p.type.kind === 'int' ? p.type.size : p.type.kind === 'bool' ? 1 : 0;
    const regs = registersFor(p.type, size);
    if (typeof regs === 'string') return env.fail(`Could not parse argument "${p.name}" of "${probe.name}": ${regs}`);
    if (register + regs > ARGUMENT_REGISTERS) {
      return env.fail(`Could not parse arguments of "${probe.name}": 'args' builtin is not supported for probes with stack-passed arguments.`);
    }
    offset = Math.ceil(offset / Math.min(size, 8)) * Math.min(size, 8);
    fields.push({ name: p.name, type: p.type, offset });
    reads.push(
      regs === 2
        ? `__builtin_memcpy(&__ua.${p.name}, (__u64[2]){ ${argumentRegister(register)}, ${argumentRegister(register + 1)} }, 16);`
        : `__ua.${p.name} = (__typeof__(__ua.${p.name}))${argumentRegister(register)};`,
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
