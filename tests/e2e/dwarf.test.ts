// Uprobes with a binary's debug information (DWARF), end to end against the
// kernel: `args` by parameter name (through struct pointers, strings,
// bitfields), casts to the binary's types, `-lv` parameter lists, attaching by
// source line, and a stripped binary's separate debug file found by
// .gnu_debuglink, by build id and through --debuginfo.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { bpfscript, fixtureProgram, repoRoot } from '../helpers/run.ts';

const withDebugInfo = () => fixtureProgram('dwarf-target', { variant: 'g', flags: ['-g', '-O0'] });

/** The line of the fixture's source marked `marker: NAME`. */
function markedLine(name: string): number {
  const src = readFileSync(join(repoRoot, 'tests', 'fixtures', 'programs', 'dwarf-target.c'), 'utf8').split('\n');
  const i = src.findIndex((l) => l.includes(`marker: ${name}`));
  if (i < 0) throw new Error(`no marker ${name}`);
  return i + 1;
}

test('args by name: an int, members through a struct pointer (nested pointer, string, bitfields, array), a string', async (t) => {
  const prog = withDebugInfo();
  const script = `uprobe:${prog}:bs_dwarf_target {
  printf("%d %d %s %s\\n", args.n, args.shape->id, str(args.name), args.shape->label);
  printf("%d %d %d %d %d\\n", args.shape->origin->x, args.shape.origin.y, args.shape->flags, args.shape->kind, args.shape->sides[1]);
  print(args);
  @calls[args.n, str(args.name)] = count();
  @last = args;
}`;
  const r = await bpfscript(['-q', '-e', script, '-c', `${prog} 2`]);
  t.is(r.stderr, '');
  const lines = r.stdout.split('\n');
  t.deepEqual([lines[0], lines[1], lines[3], lines[4]], ['0 42 hello square', '7 -3 5 17 -20', '1 42 hello square', '7 -3 5 17 -20']);
  t.regex(lines[2]!, /^\{ \.n = 0, \.shape = 0x[0-9a-f]+, \.name = 0x[0-9a-f]+ \}$/);
  t.regex(lines[5]!, /^\{ \.n = 1, \.shape = 0x[0-9a-f]+, \.name = 0x[0-9a-f]+ \}$/);
  t.deepEqual(lines.slice(6, 10), ['', '', '@calls[0, hello]: 1', '@calls[1, hello]: 1']);
  t.regex(lines[10]!, /^@last: \{ \.n = 1, \.shape = 0x[0-9a-f]+, \.name = 0x[0-9a-f]+ \}$/);
});

test('args of every argument register and integer width; a 128-bit integer takes two registers', async (t) => {
  const prog = withDebugInfo();
  const script = `uprobe:${prog}:bs_six { printf("%d %ld %d %d %u %d\\n", args.a, args.b, args.c, args.d, args.e, args.f); }
uprobe:${prog}:bs_wide { printf("%d %d %d\\n", args.after, args.wide[0], args.wide[8]); }`;
  const r = await bpfscript(['-q', '-e', script, '-c', `${prog} 1`]);
  t.is(r.stderr, '');
  t.is(r.stdout, '-1 -2000000000000 -3 -4 4000000000 1\n7 6 5\n\n\n');
});

test("casts to the binary's types; the script's own definition of a name wins", async (t) => {
  const prog = withDebugInfo();
  const cast = await bpfscript(['-q', '-e', `uprobe:${prog}:bs_dwarf_target { $s = (struct bs_shape *)arg1; $o = (struct bs_point *)$s->origin; printf("%d %d %s\\n", $s->id, $o->y, $s->label); exit(); }`, '-c', `${prog} 1`]);
  t.is(cast.stderr, '');
  t.is(cast.stdout, '42 -3 square\n\n\n');
  const own = await bpfscript(['-q', '-e', `struct bs_point { int y; int x; } uprobe:${prog}:bs_dwarf_target { printf("%d\\n", args.shape->origin->y); exit(); }`, '-c', `${prog} 1`]);
  t.is(own.stderr, '');
  t.is(own.stdout, '7\n\n\n');
});

test('-lv lists a function\'s parameters from DWARF, spelled as bpftrace spells them', async (t) => {
  const prog = withDebugInfo();
  const r = await bpfscript(['-lv', `uprobe:${prog}:bs_*`]);
  t.is(r.stderr, '');
  t.is(
    r.stdout,
    [
      `uprobe:${prog}:bs_dwarf_target`, '    int n', '    struct bs_shape* shape', '    const char* name',
      `uprobe:${prog}:bs_scale`, '    double factor', '    int n',
      `uprobe:${prog}:bs_seven`, ...'abcdefg'.split('').map((p) => `    int ${p}`),
      `uprobe:${prog}:bs_six`, '    int a', '    long int b', '    short int c', '    signed char d', '    unsigned int e', '    _Bool f',
      `uprobe:${prog}:bs_wide`, '    __int128 wide', '    int after', '',
    ].join('\n'),
  );
});

test('attach by source line: a line in the body and the call site; the entry line is the function\'s address', async (t) => {
  const prog = withDebugInfo();
  const body = markedLine('body');
  const call = markedLine('call');
  const entryLine = markedLine('entry');
  const entry = Number.parseInt(execFileSync('nm', [prog], { encoding: 'utf8' }).split('\n').find((l) => l.endsWith(' bs_dwarf_target'))!.split(' ')[0]!, 16);
  const script = `uprobe:${prog}@dwarf-target.c:${body} { @body = count(); } uprobe:${prog}@programs/dwarf-target.c:${call} { @call = count(); } uprobe:${prog}@dwarf-target.c:${entryLine} { @probes[probe] = count(); }`;
  const r = await bpfscript(['-q', '-e', script, '-c', `${prog} 4`]);
  t.is(r.stderr, '');
  t.is(r.stdout, `\n\n@body: 4\n@call: 4\n@probes[uprobe:${prog}:${entry}]: 4\n`);
});

test('attach by source line: errors', async (t) => {
  const prog = withDebugInfo();
  const noLine = await bpfscript(['-e', `uprobe:${prog}@dwarf-target.c:1 { }`]);
  t.regex(noLine.stderr, /^stdin:1:1-\d+: ERROR: Unable to map 'dwarf-target.c:1' to address\n/);
  const noFile = await bpfscript(['-e', `uprobe:${prog}@nope.c:3 { }`]);
  t.regex(noFile.stderr, /^stdin:1:1-\d+: ERROR: No compilation unit matches nope.c\n/);
  const ret = await bpfscript(['-e', `uretprobe:${prog}@dwarf-target.c:22 { }`]);
  t.regex(ret.stderr, /^stdin:1:1-\d+: ERROR: Source code location not allowed\n/);
  const plain = fixtureProgram('dwarf-target');
  const noDwarf = await bpfscript(['-e', `uprobe:${plain}@dwarf-target.c:22 { }`]);
  t.regex(noDwarf.stderr, new RegExp(`^stdin:1:1-\\d+: ERROR: No DWARF debug info found for '${plain}', cannot attach by source code location.\\n`));
});

test('what args cannot read is an error at args: no debug information, stack-passed and vector-register parameters', async (t) => {
  const prog = withDebugInfo();
  const plain = fixtureProgram('dwarf-target');
  const none = await bpfscript(['-e', `uprobe:${plain}:bs_dwarf_target { print(args.n); }`]);
  t.is(none.stderr, `stdin:1:${plain.length + 33}-${plain.length + 37}: ERROR: Could not parse arguments of "uprobe:${plain}:bs_dwarf_target": no debuginfo found for ${plain}\nuprobe:${plain}:bs_dwarf_target { print(args.n); }\n${' '.repeat(plain.length + 32)}~~~~\n`);
  const seven = await bpfscript(['-e', `uprobe:${prog}:bs_seven { print(args.a); }`]);
  t.regex(seven.stderr, /ERROR: Could not parse arguments of "uprobe:\S+:bs_seven": 'args' builtin is not supported for probes with stack-passed arguments.\n/);
  const scale = await bpfscript(['-e', `uprobe:${prog}:bs_scale { print(args.n); }`]);
  t.regex(scale.stderr, /ERROR: Could not parse argument "factor" of "uprobe:\S+:bs_scale": a floating-point value is passed in a vector register, which uprobes do not see\n/);
});

/** A stripped copy of the fixture in a fresh folder, and its debug information kept apart. */
function stripped(): { dir: string; binary: string; debug: string; buildId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bs-dwarf-'));
  const binary = join(dir, 'target');
  const debug = join(dir, 'kept.debug');
  execFileSync('objcopy', ['--only-keep-debug', withDebugInfo(), debug]);
  execFileSync('objcopy', ['--strip-debug', withDebugInfo(), binary]);
  const note = execFileSync('readelf', ['-n', binary], { encoding: 'utf8' });
  return { dir, binary, debug, buildId: /Build ID: ([0-9a-f]+)/.exec(note)![1]! };
}

const PARAMS = '    int n\n    struct bs_shape* shape\n    const char* name\n';

test('a stripped binary finds its debug file: .gnu_debuglink beside it and in .debug/, by build id, in --debuginfo folders', async (t) => {
  const s = stripped();
  const list = (binary: string, ...more: string[]) => bpfscript(['-lv', `uprobe:${binary}:bs_dwarf_target`, ...more]);
  t.is((await list(s.binary)).stdout, `uprobe:${s.binary}:bs_dwarf_target\n`, 'no debug information yet: no parameters');

  // By the binary's own name + .debug, in a --debuginfo folder (absolute, or relative to the binary's folder).
  mkdirSync(join(s.dir, 'extra'));
  copyFileSync(s.debug, join(s.dir, 'extra', 'target.debug'));
  t.is((await list(s.binary, '--debuginfo', join(s.dir, 'extra'))).stdout, `uprobe:${s.binary}:bs_dwarf_target\n${PARAMS}`);
  t.is((await list(s.binary, '--debuginfo=./nope:./extra')).stdout, `uprobe:${s.binary}:bs_dwarf_target\n${PARAMS}`);

  // By .gnu_debuglink, in the binary's folder and in its .debug/ folder.
  const linked = join(s.dir, 'linked');
  mkdirSync(join(s.dir, '.debug'));
  copyFileSync(s.debug, join(s.dir, '.debug', 'other-name.debug'));
  execFileSync('objcopy', [`--add-gnu-debuglink=${join(s.dir, '.debug', 'other-name.debug')}`, s.binary, linked]);
  t.is((await list(linked)).stdout, `uprobe:${linked}:bs_dwarf_target\n${PARAMS}`);

  // By build id under a --debuginfo folder's .build-id tree.
  const ids = mkdtempSync(join(tmpdir(), 'bs-dwarf-ids-'));
  mkdirSync(join(ids, '.build-id', s.buildId.slice(0, 2)), { recursive: true });
  copyFileSync(s.debug, join(ids, '.build-id', s.buildId.slice(0, 2), `${s.buildId.slice(2)}.debug`));
  const alone = join(mkdtempSync(join(tmpdir(), 'bs-dwarf-alone-')), basename(s.binary));
  copyFileSync(s.binary, alone);
  t.is((await list(alone, '--debuginfo', ids)).stdout, `uprobe:${alone}:bs_dwarf_target\n${PARAMS}`);

  // And args read through it at run time.
  const r = await bpfscript(['-q', '-e', `uprobe:${linked}:bs_dwarf_target { printf("%d %s\\n", args.shape->id, str(args.name)); exit(); }`, '-c', `${linked} 1`]);
  t.is(r.stderr, '');
  t.is(r.stdout, '42 hello\n\n\n');
});

test("a debug file of another build is not taken (build ids differ)", async (t) => {
  const s = stripped();
  const other = join(s.dir, 'other.debug');
  execFileSync('objcopy', ['--only-keep-debug', fixtureProgram('dwarf-target', { variant: 'g-other', flags: ['-g', '-O0', '-Wl,--build-id=0x0123456789abcdef0123456789abcdef01234567'] }), other]);
  mkdirSync(join(s.dir, 'extra'));
  copyFileSync(other, join(s.dir, 'extra', 'target.debug'));
  const r = await bpfscript(['-lv', `uprobe:${s.binary}:bs_dwarf_target`, '--debuginfo', join(s.dir, 'extra')]);
  t.is(r.stdout, `uprobe:${s.binary}:bs_dwarf_target\n`);
});
