// `--help NAME` with the built CLI: one function's reference; `-h` alone keeps
// printing the usage, and `-h FILE` a script's options.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript } from '../helpers/run.ts';

test('--help NAME prints the entry of a builtin or a stdlib macro, exit 0', async (t) => {
  const pid = await bpfscript(['--help', 'pid']);
  t.is(pid.code, 0);
  t.regex(pid.stdout, /^pid \(builtin\)\n {4}uint32 pid\(/);
  t.is(pid.stderr, '');
  const clamp = await bpfscript(['-h', 'clamp']);
  t.is(clamp.stdout, 'clamp (macro in stdlib/math.bt)\n    int64 clamp(int64 n, int64 low, int64 high)\n\n`n` limited to the range `low`..`high` (both included).\n\n```\nbegin { print(clamp(150, 0, 100)); }   // 100\n```\n');
});

test('--help with an unknown name is an error, exit 1', async (t) => {
  const r = await bpfscript(['--help', 'no_such_function']);
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^ERROR: no builtin or standard-library function named 'no_such_function'/);
});

test('-h alone prints the usage; -h FILE lists the script options', async (t) => {
  const h = await bpfscript(['-h']);
  t.is(h.code, 0);
  t.regex(h.stdout, /^USAGE:\n/);
  t.regex(h.stdout, /-h, --help NAME\n/);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-help-'));
  const script = join(dir, 'options.bt');
  writeFileSync(script, 'begin { print(getopt("depth", 3, "how deep")); }\n');
  const withScript = await bpfscript(['-h', script]);
  t.is(withScript.code, 0);
  t.regex(withScript.stdout, /^USAGE:\n/);
  t.regex(withScript.stdout, /--depth=/);
});
