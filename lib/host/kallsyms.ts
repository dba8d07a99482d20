// Kernel symbols from /proc/kallsyms: address -> function name for ksym(),
// name -> address for kaddr(). Read once, only when a script asks.
import { readFileSync } from 'node:fs';

interface KernelSymbols {
  addresses: bigint[];
  names: string[];
  byName: Map<string, bigint>;
}

let symbols: KernelSymbols | undefined;

function load(): KernelSymbols {
  if (symbols) return symbols;
  const rows: [bigint, string][] = [];
  const byName = new Map<string, bigint>();
  let text = '';
  try {
    text = readFileSync('/proc/kallsyms', 'utf8');
  } catch {
    // Not readable: every lookup misses.
  }
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) (\S) (\S+)/.exec(line);
    if (!m) continue;
    const address = BigInt(`0x${m[1]}`);
    if (address === 0n) continue;
    rows.push([address, m[3]]);
    if (!byName.has(m[3])) byName.set(m[3], address);
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  symbols = { addresses: rows.map((r) => r[0]), names: rows.map((r) => r[1]), byName };
  return symbols;
}

/** Index of the last symbol at or below `address`, or -1. */
function symbolAt(address: bigint): number {
  const { addresses } = load();
  let lo = 0;
  let hi = addresses.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (addresses[mid] <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The kernel symbol an address falls in (`vfs_read`), or the address in hex when none does. */
export function kernelSymbolName(address: bigint): string {
  const i = symbolAt(address);
  return i >= 0 ? load().names[i] : `0x${address.toString(16)}`;
}

/** `name+offset` for an instruction pointer (bpftrace's kstack frames); hex when no symbol holds it. */
export function kernelSymbolOffset(address: bigint): string {
  const i = symbolAt(address);
  const { addresses, names } = load();
  return i >= 0 ? `${names[i]}+${address - addresses[i]}` : `0x${address.toString(16)}`;
}

/** A kernel symbol's address, or undefined. */
export function kernelSymbolAddress(name: string): bigint | undefined {
  return load().byName.get(name);
}
