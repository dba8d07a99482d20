// Resolving uprobe/USDT targets on this host: path globs, ELF executables
// and shared objects only, names through PATH and the linker's cache, and a
// process's files (its maps, its mount namespace).
import test from 'ava';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandPathGlob, inOtherMountNamespace, mappedPaths, pathInProcess, resolveBinaryPaths } from '../../../lib/host/index.ts';
import { fixtureProgram } from '../../helpers/run.ts';

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-bin-'));
  copyFileSync(fixtureProgram('uprobe-target'), join(dir, 'prog-a'));
  copyFileSync(fixtureProgram('uprobe-target'), join(dir, 'prog-b'));
  writeFileSync(join(dir, 'prog-text'), '#!/bin/sh\n');
  chmodSync(join(dir, 'prog-text'), 0o755);
  writeFileSync(join(dir, '.prog-hidden'), '');
  mkdirSync(join(dir, 'sub'));
  copyFileSync(fixtureProgram('uprobe-target'), join(dir, 'sub', 'prog-c'));
  return dir;
}

test('path globs expand per component, sorted; leading dots only when the pattern has one', (t) => {
  const dir = tree();
  t.deepEqual(expandPathGlob(`${dir}/prog-*`), [`${dir}/prog-a`, `${dir}/prog-b`, `${dir}/prog-text`]);
  t.deepEqual(expandPathGlob(`${dir}/*/prog-?`), [`${dir}/sub/prog-c`]);
  t.deepEqual(expandPathGlob(`${dir}/.prog-*`), [`${dir}/.prog-hidden`]);
  t.deepEqual(expandPathGlob(`${dir}/nothing*`), []);
  t.deepEqual(expandPathGlob(`${dir}/prog-a`), [`${dir}/prog-a`], 'no wildcard: the path itself');
});

test('targets: ELF files only (what is not ELF only with --unsafe, named alone), names through PATH and the linker cache', (t) => {
  const dir = tree();
  t.deepEqual(resolveBinaryPaths(`${dir}/prog-*`), [`${dir}/prog-a`, `${dir}/prog-b`]);
  t.deepEqual(resolveBinaryPaths(`${dir}/prog-text`), []);
  t.deepEqual(resolveBinaryPaths(`${dir}/prog-text`, { unsafe: true }), [`${dir}/prog-text`]);
  t.deepEqual(resolveBinaryPaths(`${dir}/nope`), []);
  t.regex(resolveBinaryPaths('sh')[0] ?? '', /\/sh$/);
  t.regex(resolveBinaryPaths('libc')[0] ?? '', /\/libc\.so\.6$/);
});

test('a process\'s files: its executable first, then what it maps, all through /proc/PID/root', (t) => {
  const paths = mappedPaths(process.pid);
  t.is(paths[0], `/proc/${process.pid}/root${process.execPath}`);
  t.true(paths.some((p) => /libc\.so\.6$/.test(p)));
  t.deepEqual(mappedPaths(0x3fffff), [], 'a process that does not exist maps nothing');
  t.false(inOtherMountNamespace(process.pid));
  t.is(pathInProcess(42, '/usr/bin/x'), '/proc/42/root/usr/bin/x');
  t.is(pathInProcess(42, '/proc/42/root/usr/bin/x'), '/proc/42/root/usr/bin/x');
});
