// Wildcard uprobes and uretprobes attach by one uprobe_multi link per binary
// (one program, each function told apart by the link's BPF cookie), and
// `probe`/`func` still name the function of each hit. Where the kernel has no
// uprobe_multi (BPFSCRIPT_NO_UPROBE_MULTI=1 plays that kernel), the same
// program gets a uprobe link per function. Nothing stays attached after.
// The runs trace every process that runs the fixture: they go one at a time.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elfFunctions } from '../../lib/host/index.ts';
import { cli, fixtureProgram } from '../helpers/run.ts';

interface LinkInfo {
  type: string;
  id: number;
}

/** The BPF links a process holds (from /proc/PID/fdinfo). */
function linksOf(pid: number): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed meanwhile
    }
    const type = /^link_type:\s+(\S+)$/m.exec(info)?.[1];
    const id = /^link_id:\s+(\d+)$/m.exec(info)?.[1];
    if (type && id) links.push({ type, id: Number(id) });
  }
  return links;
}

function linkExists(id: number): boolean {
  try {
    execFileSync('bpftool', ['link', 'show', 'id', String(id)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `program`, calls the fixture's functions twice once it is attached,
 * then ends it with SIGINT: what it printed, and the links it held while attached.
 */
async function attachedRun(program: string, env: Record<string, string> = {}, options: string[] = []) {
  const run = spawn(cli, [...options, '-e', program], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise((resolve) => run.on('close', resolve));
  const guard = setTimeout(() => run.kill('SIGKILL'), 60_000);
  await new Promise<void>((resolve) => run.stderr.on('data', (d) => {
    stderr += d;
    if (/Attached/.test(stderr)) resolve();
  }));
  const links = linksOf(run.pid!);
  execFileSync(fixtureProgram('uprobe-multi-target'), ['2']);
  run.kill('SIGINT');
  await closed;
  clearTimeout(guard);
  return { stdout, stderr, links };
}

async function gone(ids: number[]): Promise<number[]> {
  // The kernel frees a link once its last reference goes; give it a moment.
  for (let i = 0; i < 50 && ids.some(linkExists); i++) await new Promise((r) => setTimeout(r, 100));
  return ids.filter(linkExists);
}

function script(): string {
  const prog = fixtureProgram('uprobe-multi-target');
  return `uprobe:${prog}:bs_multi_* { @[probe, func] = count(); } uretprobe:${prog}:bs_multi_* { @ret[probe, func] = sum(retval); }`;
}

function expectedMaps(): string {
  const prog = fixtureProgram('uprobe-multi-target');
  // bs_multi_one(i) returns i + 1, two i + 2, three i + 3; i is 0 then 1.
  return [
    `@[uprobe:${prog}:bs_multi_one, bs_multi_one]: 2`,
    `@[uprobe:${prog}:bs_multi_three, bs_multi_three]: 2`,
    `@[uprobe:${prog}:bs_multi_two, bs_multi_two]: 2`,
    `@ret[uretprobe:${prog}:bs_multi_one, bs_multi_one]: 3`,
    `@ret[uretprobe:${prog}:bs_multi_two, bs_multi_two]: 5`,
    `@ret[uretprobe:${prog}:bs_multi_three, bs_multi_three]: 7`,
  ].join('\n');
}

test.serial('a wildcard uprobe and uretprobe make one uprobe_multi link each; probe and func name each hit; detach leaves no link', async (t) => {
  const r = await attachedRun(script());
  t.regex(r.stderr, /^Attached 6 probes\n/);
  // fdinfo names a uprobe_multi link of return probes `uretprobe_multi`.
  t.deepEqual(r.links.map((l) => l.type).sort(), ['uprobe_multi', 'uretprobe_multi']);
  t.is(r.stdout.trim(), expectedMaps());
  t.deepEqual(await gone(r.links.map((l) => l.id)), []);
});

test.serial('without uprobe_multi, the same program gets a uprobe link per function and the same answers', async (t) => {
  const r = await attachedRun(script(), { BPFSCRIPT_NO_UPROBE_MULTI: '1' });
  t.deepEqual(r.links.map((l) => l.type), Array(6).fill('perf'));
  t.is(r.stdout.trim(), expectedMaps());
  t.deepEqual(await gone(r.links.map((l) => l.id)), []);
});

test.serial('--no-feature uprobe_multi: a program and a uprobe link per function, the same answers', async (t) => {
  const r = await attachedRun(script(), {}, ['--no-feature', 'uprobe_multi']);
  t.deepEqual(r.links.map((l) => l.type), Array(6).fill('perf'));
  t.is(r.stdout.trim(), expectedMaps());
});

test.serial('probes that differ only in probe, func and printf share one function: one program, one link, the same output', async (t) => {
  const prog = fixtureProgram('uprobe-multi-target');
  const r = await attachedRun(`uprobe:${prog}:bs_multi_* { printf("%s %s\\n", probe, func); @[probe, func] = count(); }`);
  t.deepEqual(r.links.map((l) => l.type), ['uprobe_multi']);
  const lines = r.stdout.trim().split('\n');
  const hits = lines.filter((l) => !l.startsWith('@') && l !== '').sort();
  const calls = ['one', 'three', 'two'].flatMap((f) => Array(2).fill(`uprobe:${prog}:bs_multi_${f} bs_multi_${f}`));
  t.deepEqual(hits, calls);
  t.deepEqual(lines.filter((l) => l.startsWith('@')), [
    `@[uprobe:${prog}:bs_multi_one, bs_multi_one]: 2`,
    `@[uprobe:${prog}:bs_multi_three, bs_multi_three]: 2`,
    `@[uprobe:${prog}:bs_multi_two, bs_multi_two]: 2`,
  ]);
  t.deepEqual(await gone(r.links.map((l) => l.id)), []);
});

/**
 * Runs `program` while the unprobeable fixture runs (the kernel checks an
 * offset's instruction where the file is mapped), lets it call its functions
 * once attached, then ends the run: what it printed and the links it held.
 */
async function unprobeableRun(program: (fixture: string) => string, env: Record<string, string> = {}) {
  const fixture = fixtureProgram('uprobe-unprobeable-target');
  const target = spawn(fixture, ['2'], { stdio: ['pipe', 'ignore', 'ignore'] });
  const targetDone = new Promise((resolve) => target.on('close', resolve));
  const run = spawn(cli, ['-e', program(fixture)], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (d) => (stdout += d));
  const closed = new Promise((resolve) => run.on('close', resolve));
  const guard = setTimeout(() => [run, target].forEach((p) => p.kill('SIGKILL')), 60_000);
  await new Promise<void>((resolve) => run.stderr.on('data', (d) => {
    stderr += d;
    if (/Attached/.test(stderr)) resolve();
  }));
  const links = linksOf(run.pid!);
  target.stdin!.end('go\n');
  await targetDone;
  run.kill('SIGINT');
  await closed;
  clearTimeout(guard);
  return { stdout, stderr, links, fixture };
}

const unprobeableScript = (fixture: string) => `uprobe:${fixture}:bs_unp_* { @[probe] = count(); }`;

test.serial('a function of a wildcard the kernel cannot probe is left out with a warning; the others attach and count', async (t) => {
  const r = await unprobeableRun(unprobeableScript);
  t.regex(r.stderr, /^WARNING: cannot attach program '\w+' to uprobe_multi:\S+:0x[0-9a-f]+: Operation not supported \(ENOTSUPP\)\n/);
  t.true(r.stderr.includes(`WARNING: Unable to attach probe: uprobe:${r.fixture}:bs_unp_locked. Skipping.\nAttached 3 probes\n`), r.stderr);
  // The other two share the links of the parts the kernel took.
  t.true(r.links.length >= 1 && r.links.every((l) => l.type === 'uprobe_multi'));
  t.is(r.stdout.trim(), [`@[uprobe:${r.fixture}:bs_unp_first]: 2`, `@[uprobe:${r.fixture}:bs_unp_second]: 2`].join('\n'));
  t.deepEqual(await gone(r.links.map((l) => l.id)), []);
});

test.serial('the same without uprobe_multi (a link per function), and silently with missing_probes = ignore', async (t) => {
  const apart = await unprobeableRun(unprobeableScript, { BPFSCRIPT_NO_UPROBE_MULTI: '1' });
  t.true(apart.stderr.includes(`to uprobe:${apart.fixture}:0x`), apart.stderr);
  t.true(apart.stderr.includes(`WARNING: Unable to attach probe: uprobe:${apart.fixture}:bs_unp_locked. Skipping.\n`));
  t.deepEqual(apart.links.map((l) => l.type), ['perf', 'perf']);
  t.is(apart.stdout.trim(), [`@[uprobe:${apart.fixture}:bs_unp_first]: 2`, `@[uprobe:${apart.fixture}:bs_unp_second]: 2`].join('\n'));
  const quiet = await unprobeableRun((f) => `config = { missing_probes = "ignore" }\n${unprobeableScript(f)}`);
  t.is(quiet.stderr, 'Attached 3 probes\n');
  t.is(quiet.stdout.trim(), [`@[uprobe:${quiet.fixture}:bs_unp_first]: 2`, `@[uprobe:${quiet.fixture}:bs_unp_second]: 2`].join('\n'));
});

test.serial('a warm run remembers the refused function: one link, the same warnings and counts; a wrong memory loses no function', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'bpfs-unprobeable-cache-'));
  t.teardown(() => rmSync(cache, { recursive: true, force: true }));
  const env = { BPFSCRIPT_CACHE_DIR: cache };
  const cold = await unprobeableRun(unprobeableScript, env);
  // Cold, the refused link is split: the kernel takes the halves without the locked entry.
  t.true(cold.links.length >= 2, `${cold.links.length} links`);
  const entries = readdirSync(join(cache, 'uprobe-refused'));
  t.is(entries.length, 1);
  const entry = join(cache, 'uprobe-refused', entries[0]!);
  const offsets = new Map(elfFunctions(cold.fixture).map((f) => [f.name, f.offset]));
  const record = JSON.parse(readFileSync(entry, 'utf8')) as { identity: string; refused: number[] };
  t.deepEqual(record.refused, [offsets.get('bs_unp_locked')]);
  const warm = await unprobeableRun(unprobeableScript, env);
  t.is(warm.stderr, cold.stderr);
  t.is(warm.stdout, cold.stdout);
  t.is(warm.links.length, 1);
  t.deepEqual(await gone(warm.links.map((l) => l.id)), []);
  // A memory that calls every function refused: each is tried alone, the two that attach count, and the memory is put right.
  writeFileSync(entry, JSON.stringify({ ...record, refused: ['bs_unp_first', 'bs_unp_locked', 'bs_unp_second'].map((f) => offsets.get(f)) }));
  const wrong = await unprobeableRun(unprobeableScript, env);
  t.is(wrong.stderr, cold.stderr);
  t.is(wrong.stdout, cold.stdout);
  t.deepEqual((JSON.parse(readFileSync(entry, 'utf8')) as { refused: number[] }).refused, [offsets.get('bs_unp_locked')]);
});
