// The emitter's declarations in a real BPF program: compiled by the build
// stage's clang, loaded into the running kernel with the runtime room, and
// reading real values from sched_switch, so the CO-RE relocations resolve
// against this kernel. A second build shifts every local layout by 40 bytes:
// values stay right only because libbpf relocates by member name.
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Btf, emitCDeclarations, type DeclarationRoot } from '../../../lib/btf/index.ts';
import { compileC } from '../../../core/build/index.ts';
import { BpfObject } from '../../../plugins/runtime/libbpf/index.ts';
import { cannotRunReason } from '../../plugins/runtime/libbpf/helpers.ts';
import { noVmlinuxReason, VMLINUX } from './helpers.ts';

const fixture = readFileSync(new URL('../../fixtures/btf/core.bpf.c', import.meta.url), 'utf8');
const skipCompile = noVmlinuxReason() ?? (existsSync('/usr/include/bpf/bpf_core_read.h') ? undefined : 'needs libbpf-dev headers');
const skipKernel = skipCompile ?? cannotRunReason();

function roots(btf: Btf): DeclarationRoot[] {
  return [
    {
      type: btf.findByName('struct', 'task_struct')!,
      paths: [['pid'], ['tgid'], ['comm'], ['parent', 'tgid'], ['cgroups', 'dfl_cgrp', 'kn', 'id'], ['cgroups', 'dfl_cgrp', 'level'], ['mm', 'mm_users', 'counter'], ['mm', 'mm_count', 'counter'], ['sched_reset_on_fork']],
    },
    { type: btf.findByName('struct', 'cgroup')!, paths: [['level']] },
  ];
}

function program(shifted = false): string {
  const btf = Btf.open(VMLINUX);
  let { text } = emitCDeclarations(btf, roots(btf), { layoutAsserts: !shifted });
  // every top-level struct gets 40 bytes in front: local offsets are all wrong by 40
  if (shifted) text = text.replace(/^(struct \w+ \{)$/gm, '$1\n  char bs_shift[40];');
  return fixture.replace('/* BTF DECLARATIONS */', text);
}

(skipCompile ? test.skip : test)('declarations for the used members only, compiled by clang', (t) => {
  const btf = Btf.open(VMLINUX);
  const { text } = emitCDeclarations(btf, roots(btf));
  t.true(text.length < 8000, `${text.length} bytes`);
  t.regex(text, /struct task_struct \{[^}]*\bpid_t pid;[^}]*\bchar comm\[16\];[^}]*\}/s);
  t.notRegex(text, /\bsched_class\b/); // an unused member of task_struct
  t.regex(text, /struct kernfs_node \{[^}]*\bid;/s);
  t.regex(text, /unsigned int sched_reset_on_fork : 1;/);
  const r = compileC(program());
  t.true(existsSync(r.objectPath));
});

interface Sample {
  pid: number;
  tgid: number;
  parentTgid: number;
  cgroupLevel: number;
  cgroupId: bigint;
  comm: string;
  mmUsers: number;
  mmCount: number;
  resetOnFork: bigint;
  switches: bigint;
}

function decode(b: Buffer): Sample {
  return {
    pid: b.readUInt32LE(0),
    tgid: b.readUInt32LE(4),
    parentTgid: b.readUInt32LE(8),
    cgroupLevel: b.readInt32LE(12),
    cgroupId: b.readBigUInt64LE(16),
    comm: b.toString('latin1', 24, 40).replace(/\0.*$/s, ''),
    mmUsers: b.readInt32LE(40),
    mmCount: b.readInt32LE(44),
    resetOnFork: b.readBigUInt64LE(48),
    switches: b.readBigUInt64LE(56),
  };
}

/** A fresh cgroup v2 directory below ours, or undefined where there is no cgroup2. */
function childCgroup(): { dir: string; level: number } | undefined {
  const mount = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[2] === 'cgroup2')?.[1];
  const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
  if (!mount || own === undefined) return undefined;
  const dir = join(mount, own, `bpfscript-btf-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  return { dir, level: own.split('/').filter(Boolean).length + 1 };
}

async function traceChild(t: import('ava').ExecutionContext, source: string): Promise<void> {
  const obj = BpfObject.open(compileC(source).objectPath);
  const cgroup = childCgroup();
  // SCHED_OTHER with reset-on-fork sets task_struct.sched_reset_on_fork: a bitfield that is 1
  const child = spawn('chrt', ['-R', '-o', '0', 'sh', '-c', 'read go; i=0; while [ $i -lt 20 ]; do sleep 0.01; i=$((i+1)); done'], { stdio: ['pipe', 'ignore', 'inherit'] });
  try {
    await new Promise((r) => setTimeout(r, 100)); // chrt has exec'd sh, which waits on stdin
    if (cgroup) writeFileSync(join(cgroup.dir, 'cgroup.procs'), String(child.pid));
    t.log(cgroup ? `child in cgroup ${cgroup.dir} (level ${cgroup.level})` : 'no cgroup2: cgroup values checked loosely');
    const comm = readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim();
    const settings = Buffer.alloc(4);
    settings.writeUInt32LE(child.pid!, 0);
    obj.setRodata(settings);
    obj.load();
    obj.program('direct').attach();
    obj.program('probed').attach();
    const exited = new Promise((r) => child.on('exit', r));
    child.stdin!.end('go\n');
    await exited;
    for (const [key, kind] of [[0, 'tp_btf'], [1, 'raw_tp']] as const) {
      const k = Buffer.alloc(4);
      k.writeUInt32LE(key, 0);
      const s = decode(obj.map('samples').lookup(k)!);
      t.true(s.switches > 0n, `${kind}: saw the child run`);
      t.is(s.tgid, child.pid!, kind);
      t.is(s.pid, child.pid!, kind); // sh is single-threaded: pid == tgid
      t.is(s.parentTgid, process.pid, `${kind}: parent->tgid is us`);
      t.is(s.comm, comm, kind);
      t.true(s.mmUsers >= 1 && s.mmCount >= 1, `${kind}: mm_users ${s.mmUsers} mm_count ${s.mmCount}`);
      t.is(s.resetOnFork, 1n, `${kind}: sched_reset_on_fork`);
      if (cgroup) {
        t.is(s.cgroupLevel, cgroup.level, `${kind}: cgroup level`);
        t.is(s.cgroupId, BigInt(statSync(cgroup.dir).ino), `${kind}: cgroup id is the cgroup directory's inode`);
      } else {
        t.true(s.cgroupLevel >= 0, kind);
      }
    }
  } finally {
    child.kill('SIGKILL');
    obj.close();
    if (cgroup) rmdirSync(cgroup.dir);
  }
}

(skipKernel ? test.skip : test)('CO-RE program loads and reads real values on sched_switch (tp_btf and raw_tp)', async (t) => {
  await traceChild(t, program());
});

(skipKernel ? test.skip : test)('relocations are by member name: a shifted local layout still reads the right values', async (t) => {
  const source = program(true);
  t.regex(source, /char bs_shift\[40\];/);
  await traceChild(t, source);
});
