// Stacks as bpftrace prints them: a newline, then one frame per line, in the
// value's mode:
//   bpftrace  `        vfs_read+5` (user frames without a symbol: `        0x7f12..`)
//   perf      `\tffffffff8123 vfs_read+5 ([kernel.kallsyms])`, user frames
//             with their file (`(/usr/lib/libc.so.6)`) or `0x.. ([unknown])`
//   raw       the addresses in hex
//   build_id  `<build id> 0x<offset>` per user frame (the address when the
//             kernel found no build ID)
// Text and JSON print the same string, as bpftrace's do.
import type { RunSession, ShownValue, ValueRenderer } from '../../sdk/index.ts';
import { kernelSymbolOffset } from '../../lib/host/index.ts';
import { stackAddresses, stackBuildIdFrames, unpackStack, type BuildIdFrame, type StackTag } from './stack-value.ts';
import { symbolWithOffset, userSymbolizer } from './user-symbols.ts';

const INDENT = ' '.repeat(8);

function asText(lines: string[]): ShownValue {
  return { value: `\n${lines.map((l) => `${l}\n`).join('')}`, type: { kind: 'string', size: 8192 } };
}

function kernelFrame(ip: bigint, mode: StackTag['mode']): string {
  if (mode === 'raw') return ip.toString(16);
  const name = kernelSymbolOffset(ip);
  return mode === 'perf' ? `\t${ip.toString(16)} ${name} ([kernel.kallsyms])` : `${INDENT}${name}`;
}

function buildIdFrame(f: BuildIdFrame): string {
  return f.buildId ? `${f.buildId} 0x${f.offset.toString(16).padStart(2, '0')}` : f.ip.toString(16);
}

function userFrames(session: RunSession, tag: StackTag, pid: number, ips: bigint[]): string[] {
  if (tag.mode === 'raw') return ips.map((ip) => ip.toString(16));
  const syms = userSymbolizer(session).resolve(pid, ips);
  return ips.map((ip, i) => {
    const sym = syms[i];
    if (tag.mode === 'perf') return `\t${ip.toString(16)} ${symbolWithOffset(sym, ip)} (${sym ? sym.module : '[unknown]'})`;
    return `${INDENT}${symbolWithOffset(sym, ip)}`;
  });
}

const kstackRenderer: ValueRenderer = {
  kind: 'kstack',
  open: (session) => (value, t) => {
    const tag = t as StackTag;
    const stack = unpackStack(value);
    const ips = stack ? stackAddresses(session, tag.map, stack.id).slice(0, tag.limit) : [];
    return asText(ips.map((ip) => kernelFrame(ip, tag.mode)));
  },
};

const ustackRenderer: ValueRenderer = {
  kind: 'ustack',
  open: (session) => (value, t) => {
    const tag = t as StackTag;
    const stack = unpackStack(value);
    if (!stack) return asText([]);
    if (tag.mode === 'build_id') return asText(stackBuildIdFrames(session, tag.map, stack.id).slice(0, tag.limit).map(buildIdFrame));
    return asText(userFrames(session, tag, stack.pid, stackAddresses(session, tag.map, stack.id).slice(0, tag.limit)));
  },
};

export const stackRenderers: ValueRenderer[] = [kstackRenderer, ustackRenderer];
