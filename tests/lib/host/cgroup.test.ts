// Cgroup hierarchies from /proc/mounts, bpftrace's filter, and the path of a
// cgroup id found by walking a hierarchy (here a folder tree: ids are inodes).
import test from 'ava';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupHierarchies, cgroupIdOf, cgroupPathIn, cgroupPathText, matchesCgroupFilter } from '../../../lib/host/index.ts';

const mounts = [
  'tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0',
  'cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0',
  'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,relatime,cpu,cpuacct 0 0',
  'cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0',
  'proc /proc proc rw 0 0',
].join('\n');

test('hierarchies: cgroup v2 first as `unified`, then v1 by mount point name, sorted', (t) => {
  t.deepEqual(cgroupHierarchies(mounts), [
    { name: 'unified', root: '/sys/fs/cgroup/unified', version: 2 },
    { name: 'cpu,cpuacct', root: '/sys/fs/cgroup/cpu,cpuacct', version: 1 },
    { name: 'memory', root: '/sys/fs/cgroup/memory', version: 1 },
  ]);
});

test('the filter: `*` matches any text, every other character itself', (t) => {
  t.true(matchesCgroupFilter('unified', '*'));
  t.true(matchesCgroupFilter('unified', 'uni*'));
  t.true(matchesCgroupFilter('cpu,cpuacct', '*acct'));
  t.false(matchesCgroupFilter('cpu,cpuacct', 'cpu'));
  t.false(matchesCgroupFilter('memory', 'mem?ry'));
  t.true(matchesCgroupFilter('mem?ry', 'mem?ry'));
});

test('paths: `/` for the root, the folder below the root otherwise, joined over the hierarchies that hold the id', (t) => {
  const a = mkdtempSync(join(tmpdir(), 'bs-cgroup-a-'));
  const b = mkdtempSync(join(tmpdir(), 'bs-cgroup-b-'));
  mkdirSync(join(a, 'x', 'y'), { recursive: true });
  const id = statSync(join(a, 'x', 'y'), { bigint: true }).ino;
  t.is(cgroupIdOf(join(a, 'x', 'y')), id);
  t.is(cgroupPathIn(a, id), '/x/y');
  t.is(cgroupPathIn(a, cgroupIdOf(a)), '/');
  t.is(cgroupPathIn(b, id), undefined);
  const hierarchies = [{ name: 'unified', root: a, version: 2 as const }, { name: 'memory', root: b, version: 1 as const }];
  t.is(cgroupPathText(id, '*', hierarchies), 'unified:/x/y');
  t.is(cgroupPathText(id, 'memory', hierarchies), '');
  t.throws(() => cgroupIdOf(join(a, 'none')), { message: `Failed to get \`cgroupid\` for path: "${join(a, 'none')}": No such file or directory` });
});
