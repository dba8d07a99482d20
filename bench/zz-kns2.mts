import { kernelNsPerRun, median } from './measure.ts';
import { fixtureProgram } from '../tests/helpers/run.ts';
const getppid = fixtureProgram('getppid');
const [binsArg, rounds, ...scripts] = process.argv.slice(2);
const bins = binsArg!.split(',');
const res: Record<string, number[]> = {};
for (let r = 0; r < Number(rounds); r++) for (const s of scripts) for (const b of bins) {
  const ns = await kernelNsPerRun(b, `tracepoint:raw_syscalls:sys_enter { ${s} }`, [getppid, '2000000']);
  (res[`${b} ${s}`] ??= []).push(ns ?? NaN);
}
for (const k of Object.keys(res)) console.log(median(res[k]!).toFixed(1), res[k]!.map((x) => x.toFixed(0)).join(' '), k);
