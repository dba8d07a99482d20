// BTF start-up cost against the whole CLI's start-up. Each figure is the median
// over fresh Node processes, so it is what a compile pays the first time:
// reading /sys/kernel/btf/vmlinux, indexing it, the first look-ups, and
// emitting the CO-RE declarations for a few member paths.
//   node --import tsx bench/btf.ts [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cli } from '../tests/helpers/run.ts';

const here = fileURLToPath(import.meta.url);
const runs = Number(process.argv[2] ?? 9);

interface Sample {
  open: number;
  findTaskStruct: number;
  walkParentPid: number;
  schedSwitchArgs: number;
  emit: number;
  total: number;
  types: number;
  declBytes: number;
}

async function once(): Promise<Sample> {
  const t0 = performance.now();
  const { Btf, emitCDeclarations } = await import('../lib/btf/index.ts');
  const t1 = performance.now();
  const btf = Btf.open();
  const t2 = performance.now();
  const task = btf.findByName('struct', 'task_struct')!;
  const t3 = performance.now();
  const parent = btf.member(task, 'parent')!;
  const pid = btf.member(btf.pointee(parent.type)!.id, 'pid')!;
  const t4 = performance.now();
  const args = btf.rawTracepointArgs('sched_switch')!;
  const t5 = performance.now();
  const cgroup = btf.findByName('struct', 'cgroup')!;
  const { text } = emitCDeclarations(btf, [
    { type: task, paths: [['pid'], ['comm'], ['parent', 'pid'], ['cgroups', 'dfl_cgrp', 'kn', 'id']] },
    { type: cgroup, paths: [['level']] },
  ]);
  const t6 = performance.now();
  if (pid.bitOffset <= 0 || args.length !== 4) throw new Error('unexpected BTF answers');
  return { open: t2 - t1, findTaskStruct: t3 - t2, walkParentPid: t4 - t3, schedSwitchArgs: t5 - t4, emit: t6 - t5, total: t6 - t1, types: btf.count, declBytes: text.length };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function wall(cmd: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

if (process.argv.includes('--once')) {
  console.log(JSON.stringify(await once()));
} else {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', here, '--once'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample);
  }
  const m = (k: keyof Sample) => median(samples.map((s) => s[k])).toFixed(2).padStart(7);
  console.log(`BTF (${samples[0]!.types} types in /sys/kernel/btf/vmlinux), median of ${runs} fresh processes:`);
  console.log(`  open (read + index the type section)   ${m('open')} ms`);
  console.log(`  find struct task_struct                ${m('findTaskStruct')} ms`);
  console.log(`  walk task_struct.parent->pid           ${m('walkParentPid')} ms`);
  console.log(`  rawTracepointArgs('sched_switch')      ${m('schedSwitchArgs')} ms`);
  console.log(`  emit CO-RE declarations (${samples[0]!.declBytes} bytes)  ${m('emit')} ms`);
  console.log(`  all of the above                       ${m('total')} ms`);
  const node = median(Array.from({ length: runs }, () => wall(process.execPath, ['-e', '0'])));
  const startup = median(Array.from({ length: runs }, () => wall(cli, ['--dry-run', '-q', '-e', 'begin { exit(); }'])));
  console.log(`CLI start-up, median of ${runs}:`);
  console.log(`  node -e 0                                                ${node.toFixed(1).padStart(7)} ms`);
  console.log(`  bin/bpfscript --dry-run -q -e 'begin { exit(); }'       ${startup.toFixed(1).padStart(7)} ms`);
  console.log(`  BTF work / CLI start-up: ${((median(samples.map((s) => s.total)) / startup) * 100).toFixed(1)}%`);
}
