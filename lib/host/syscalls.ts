// System call names by number, from the kernel headers' unistd table
// (`#define __NR_read 0`), read once when a script asks.
import { readFileSync } from 'node:fs';
import { arch } from 'node:os';

let names: Map<number, string> | undefined;

export function syscallName(nr: number): string {
  if (!names) {
    names = new Map();
    const dir = arch() === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
    const file = arch() === 'arm64' ? 'unistd.h' : 'unistd_64.h';
    let text = '';
    try {
      text = readFileSync(`/usr/include/${dir}/asm/${file}`, 'utf8');
    } catch {
      // No headers: numbers print as they are.
    }
    for (const m of text.matchAll(/^#define __NR_(\w+)\s+(\d+)/gm)) names.set(Number(m[2]), m[1]);
  }
  return names.get(nr) ?? String(nr);
}
