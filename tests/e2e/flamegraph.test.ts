// Flame graphs of real stacks: a uprobe's user stacks as folded stacks
// (-f folded) and as the SVG of --flamegraph, which Debian's headless
// Chromium (bin/setup installs it) renders: the screenshot shows each frame
// in its color across the graph, and the DOM after the page's script ran
// names the frames.
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureBuild, fixtureProgram } from '../helpers/run.ts';
import { chromiumInstalled, CHROMIUM, dumpDom, screenshot } from '../helpers/chromium.ts';
import { readPng } from '../helpers/png.ts';
import { frameColor } from '../../plugins/output/folded/index.ts';

// -O0 keeps frame pointers (see stacks.test.ts); the process stays (30 s sleep) so its stacks resolve at exit.
const target = () => fixtureBuild('stack-target-pie', ['stack-target.c'], ['-O0', '-pie', '-fPIE']);
const script = (exe: string) => `uprobe:${exe}:bs_stack_leaf { @[ustack, comm] = count(); @k = @k + 1; if (@k == 5) { clear(@k); exit(); } }`;
const frames = ['all', 'stack-target-pi', '__libc_start_call_main', 'main', 'bs_stack_outer', 'bs_stack_middle', 'bs_stack_leaf'];

test('-f folded: the comm, then the user stack from its root to the leaf, and the count', async (t) => {
  t.timeout(300_000);
  const exe = target();
  const r = await bpfscript(['-q', '-f', 'folded', '-e', script(exe), '-c', `${exe} 5 30000`], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${frames.slice(1).join(';')} 5\n`);
});

test('--flamegraph writes an SVG that Chromium renders with the frames, named, one on the other', async (t) => {
  t.timeout(300_000);
  t.true(chromiumInstalled(), `${CHROMIUM} is missing: run bin/setup (it installs Debian's chromium package)`);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-flamegraph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'f.svg');
  const exe = target();
  const r = await bpfscript(['-q', '-e', script(exe), '-c', `${exe} 5 30000`, '--flamegraph', svg], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  // The maps at exit still print as text.
  t.regex(r.stdout, /^@\[\n {8}bs_stack_leaf\+0\n/m);

  const text = readFileSync(svg, 'utf8');
  t.regex(text, /^<\?xml version="1\.0" standalone="no"\?>\n<svg version="1\.1" width="1200" height="176" /);
  for (const f of frames) t.true(text.includes(`<title>${f} (5 samples, 100.00%)</title>`), f);
  t.regex(text, /<script><!\[CDATA\[[^]*function zoom\(node\)[^]*function search\(term\)[^]*\]\]><\/script>/);

  const dom = await dumpDom(`file://${svg}`);
  for (const f of frames) t.regex(dom, new RegExp(`<text x="[\\d.]+" y="\\d+">${f}</text>`), f);

  const png = join(dir, 'f.png');
  await screenshot(`file://${svg}`, png, 1200, 240);
  const image = readPng(png);
  t.is(image.width, 1200);
  // The root at the bottom, each callee one row (16 px) above its caller, as wide as the graph.
  const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 8);
  frames.forEach((f, depth) => {
    const expected = /rgb\((\d+),(\d+),(\d+)\)/.exec(frameColor(f))!.slice(1).map(Number);
    const y = 176 - 30 - (depth + 1) * 16 + 7;
    for (const x of [600, 900, 1150]) t.true(near(image.pixel(x, y), expected), `${f} at (${x}, ${y}): ${image.pixel(x, y)} is not ${expected}`);
  });
  // Above the top frame (which starts at y = 34): the background.
  t.deepEqual(image.pixel(300, 30), [0xee, 0xee, 0xee]);
});

// On each print(): the file is rewritten with the map as it is then, and a
// map cleared after its last print keeps that print at exit. print() reads
// the map when user space reaches its record, so the traced process stops
// itself (SIGSTOP from the probe) until a copy of the file is taken after
// the first print; system() then lets it go on (SIGCONT).
const handshake = (copy: string) => `signal("SIGSTOP"); print(@); system("${copy}kill -CONT %d", pid);`;
const printTwice = (exe: string, copy: string) =>
  `uprobe:${exe}:bs_stack_leaf { @[ustack, comm] = count(); @k = @k + 1;
     if (@k == 2) { ${handshake(copy)} }
     if (@k == 5) { print(@); clear(@); clear(@k); exit(); } }`;

/** The `<title>` texts of an SVG's frames, in document order. */
const titles = (svg: string) => [...svg.matchAll(/<g class="frame"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]!);

test('--flamegraph is rewritten on each print() of the map; a map cleared after its print keeps it at exit', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-flamegraph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'f.svg');
  const exe = target();
  const script = printTwice(exe, `cp ${svg} ${dir}/first.svg; `);
  const r = await bpfscript(['-q', '--unsafe', '-e', script, '-c', `${exe} 5 30000`, '--flamegraph', svg], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  t.deepEqual(titles(readFileSync(join(dir, 'first.svg'), 'utf8')), frames.map((f) => `${f} (2 samples, 100.00%)`));
  const last = readFileSync(svg, 'utf8');
  t.deepEqual(titles(last), frames.map((f) => `${f} (5 samples, 100.00%)`));
  t.regex(last, /<text id="title" [^>]*>Flame Graph: @<\/text>/);
  t.regex(last, /\]\]><\/script>\n<\/svg>\n$/);
  // Each write went through a temporary file renamed into place: none is left.
  t.deepEqual(readdirSync(dir).sort(), ['f.svg', 'first.svg']);
});

test('-f folded prints the folded stacks on each print()', async (t) => {
  t.timeout(300_000);
  const exe = target();
  const r = await bpfscript(['-q', '--unsafe', '-f', 'folded', '-e', printTwice(exe, ''), '-c', `${exe} 5 30000`], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  // system() prints its command's output and a newline: the empty line.
  const stack = frames.slice(1).join(';');
  t.is(r.stdout, `${stack} 2\n\n${stack} 5\n`);
});

test('--flamegraph of kernel stacks: a tracepoint\'s kstack, the SVG rewritten by the second print', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-flamegraph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'k.svg');
  const script = `tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @[kstack] = count(); @n = @n + 1;
    if (@n == 3) { ${handshake(`cp ${svg} ${dir}/first.svg; `)} }
    if (@n == 7) { print(@); exit(); } }`;
  const r = await bpfscript(['-q', '--unsafe', '-e', script, '-c', `${fixtureProgram('getppid')} 7`, '--flamegraph', svg], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  const first = titles(readFileSync(join(dir, 'first.svg'), 'utf8'));
  const last = titles(readFileSync(svg, 'utf8'));
  // One kernel stack for every call: a chain of frames from `all`, each holding every sample.
  t.true(first.length >= 3, first.join('\n'));
  t.is(first[0], 'all (3 samples, 100.00%)');
  for (const f of first) t.regex(f, /^\S+ \(3 samples, 100\.00%\)$/);
  // The second print: the same frames, with seven samples.
  t.deepEqual(last, first.map((f) => f.replace('(3 samples', '(7 samples')));
  t.regex(r.stdout, /^@\[\n(?: {8}\S+\n)+\]: 3\n/m);
});

test('--flamegraph with print_maps_on_exit = 0: the file keeps the last print, not the map at exit', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-flamegraph-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const svg = join(dir, 'f.svg');
  const exe = target();
  const script = `config = { print_maps_on_exit = 0 }
    uprobe:${exe}:bs_stack_leaf { @[ustack, comm] = count(); @k = @k + 1;
      if (@k == 2) { ${handshake('')} }
      if (@k == 5) { exit(); } }`;
  const r = await bpfscript(['-q', '--unsafe', '-e', script, '-c', `${exe} 5 30000`, '--flamegraph', svg], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  // The print's text, then nothing at exit.
  t.regex(r.stdout, /^@\[\n {8}bs_stack_leaf\+0\n[^]*\]: 2\n\n\n*$/);
  t.deepEqual(titles(readFileSync(svg, 'utf8')), frames.map((f) => `${f} (2 samples, 100.00%)`));
});
