// Printing a 100k-key map at exit, in one process, without a kernel: a packed
// read of `u64 -> u64` entries (what `@m[nsecs] = tid` leaves) printed by the
// text or json format from decoded entries (`entries`) or from the packed view
// (`view`). Each way runs in a fresh process, so its memory is its own.
// Run: node --import tsx bench/map-print.ts [entries] [runs] [text|json]  (default: 100000 5, both formats)
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PackedMapView, decodeMapEntries, type MapInfo } from '../core/manifest/index.ts';
import type { MapSnapshot, OutputWriter } from '../sdk/index.ts';
import { packedSnapshot } from '../core/session/maps.ts';
import { JsonOutputFormat } from '../plugins/output/json/index.ts';
import { TextOutputFormat } from '../plugins/output/text/index.ts';

// Its own arguments only when run alone (`npm run bench -- --all` imports it with others).
const self = fileURLToPath(import.meta.url);
const args = process.argv[1] && resolve(process.argv[1]) === self ? process.argv.slice(2) : [];
const entries = Number(args[0] ?? 100_000);
const runs = Number(args[1] ?? 5);
const formats = args[2] ? [args[2]] : ['text', 'json'];
const way = args[3];

const u64 = { kind: 'int', size: 8, signed: false } as const;
const info: MapInfo = { name: '@m', cName: 'AT_m', bpfType: 'hash', keyType: u64, keySize: 8, value: { kind: 'plain', type: u64 }, valueSize: 8, maxEntries: 200_000 };

/** What a batch read of the map returns: keys like nsecs, values like tids, in hash order. */
function packedRead() {
  const keys = new BigUint64Array(entries);
  const values = new BigUint64Array(entries);
  for (let i = 0; i < entries; i++) {
    keys[i] = 33_369_078_109_368n + BigInt(((i * 7919) % entries) * 1733);
    values[i] = BigInt(30_000 + ((i * 31) % 5000));
  }
  return { keys: new Uint8Array(keys.buffer), values: new Uint8Array(values.buffer), count: entries, keySize: 8, valueBytes: 8 };
}

/** One measured print, in this process: CPU ms, heap and RSS growth in MiB, bytes written. */
function measureOnce(): void {
  const packed = packedRead();
  let bytes = 0;
  const w: OutputWriter = { out: (s) => void (bytes += s.length), err: () => {} };
  const out = formats[0] === 'json' ? new JsonOutputFormat() : new TextOutputFormat();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  let peakHeap = heap0;
  const cpu0 = process.cpuUsage();
  const snapshot: MapSnapshot = way === 'view' ? packedSnapshot(info, new PackedMapView(info, packed)) : { info, entries: decodeMapEntries(info, packed) };
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  out.mapsAtExit([snapshot], w);
  const cpu = process.cpuUsage(cpu0);
  const mem = process.memoryUsage();
  peakHeap = Math.max(peakHeap, mem.heapUsed);
  const mib = (n: number) => n / 2 ** 20;
  console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, heapMiB: mib(peakHeap - heap0), rssMiB: mib(mem.rss - rss0), peakRssMiB: mib(process.resourceUsage().maxRSS * 1024), bytes }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

if (way) measureOnce();
else {
  for (const format of formats) printBoth(format);
}

function printBoth(format: string): void {
  console.log(`map printed at exit: ${entries} entries of u64 -> u64, ${format} output, median of ${runs} fresh processes`);
  // entries: decoded MapEntry objects (formats without the fast path); view: MapSnapshot.packed.
  for (const w of ['entries', 'view']) {
    const results: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(process.execPath, [...process.execArgv, self, String(entries), '1', format, w], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      results.push(JSON.parse(r.stdout) as Record<string, number>);
    }
    const m = (k: string, digits = 1) => median(results.map((r) => r[k]!)).toFixed(digits);
    console.log(`${w.padEnd(8)} cpu ${m('cpuMs').padStart(7)} ms   heap +${m('heapMiB').padStart(5)} MiB   rss +${m('rssMiB').padStart(5)} MiB   peak rss ${m('peakRssMiB').padStart(6)} MiB   ${m('bytes', 0)} chars`);
  }
}
