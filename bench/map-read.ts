// Reading a 100k-entry BPF hash map: bpf_map_lookup_batch vs get_next_key + lookup.
// Run as root: node --import tsx bench/map-read.ts [entries] [repeats]

import { BpfObject } from '../plugins/runtime/libbpf/index.ts';
import { bpfFixture, u64s } from '../tests/plugins/runtime/libbpf/helpers.ts';

const entries = Number(process.argv[2] ?? 100_000);
const repeats = Number(process.argv[3] ?? 5);

const obj = BpfObject.open(bpfFixture('maps'));
obj.setMapMaxEntries('big_hash', Math.max(entries, 1024));
obj.load();
obj.program('fill_hash').testRun({ ctx: u64s(entries, 0) });
const map = obj.map('big_hash');

function time(label: string, fn: () => number): void {
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const n = fn();
    ms.push(performance.now() - start);
    if (n !== entries) throw new Error(`${label}: read ${n} entries, expected ${entries}`);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(34)} median ${ms[ms.length >> 1]!.toFixed(1).padStart(7)} ms   min ${ms[0]!.toFixed(1).padStart(7)} ms`);
}

console.log(`hash map, ${entries} entries of u64 -> u64, ${repeats} runs each`);
time('lookup_batch (chunks of 4096)', () => map.entries({ method: 'batch' }).count);
time('lookup_batch (one chunk)', () => map.entries({ method: 'batch', batchSize: entries }).count);
time('get_next_key + lookup per key', () => map.entries({ method: 'iterate' }).count);
obj.close();
