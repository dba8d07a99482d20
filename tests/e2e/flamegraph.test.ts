// Flame graphs of real stacks: a uprobe's user stacks as folded stacks
// (-f folded) and as the SVG of --flamegraph, which Debian's headless
// Chromium (bin/setup installs it) renders: the screenshot shows each frame
// in its color across the graph, and the DOM after the page's script ran
// names the frames.
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureBuild } from '../helpers/run.ts';
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
