// `-c` commands are checked before anything is attached, as upstream: the
// first word must name an executable file, by path or on PATH.
import test from 'ava';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandProblem, startChild } from '../../../core/session/index.ts';

const notRunnable = (word: string) => `Path '${word}' does not exist or is not executable (No such file or directory)`;

test('a path or a name on PATH that is an executable file is fine; anything else is refused in upstream\'s words', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-child-'));
  writeFileSync(join(dir, 'data'), '');
  chmodSync(join(dir, 'data'), 0o644);
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
  chmodSync(join(dir, 'tool'), 0o755);
  t.is(commandProblem('/bin/true a "b c"'), undefined);
  t.is(commandProblem('sleep 1', '/usr/bin:/bin'), undefined);
  t.is(commandProblem('tool x', dir), undefined);
  t.is(commandProblem(`${dir}/tool`), undefined);
  t.is(commandProblem('/nonexistent/cmd'), notRunnable('/nonexistent/cmd'));
  t.is(commandProblem(`${dir}/data arg`), notRunnable(`${dir}/data`));
  t.is(commandProblem(dir), notRunnable(dir), 'a folder is not a command');
  t.is(commandProblem('data', dir), notRunnable('data'));
  t.is(commandProblem('FOO=1 sleep 1'), undefined, 'left to the shell');
  t.is(commandProblem("'quoted' x"), undefined, 'left to the shell');
});

test('startChild refuses such a command before spawning anything', (t) => {
  t.throws(() => startChild('/nonexistent/cmd'), { message: `Failed to fork child: ${notRunnable('/nonexistent/cmd')}` });
});
