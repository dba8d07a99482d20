// The memory of a binary's refused uprobe offsets in the compile cache: keyed
// by the binary's identity and the kernel, kept across runs, updated with
// each attach's answer, and quiet (an empty memory) where it cannot be used.
// Tests change process.env, so they run one at a time.
import test from 'ava';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefusedOffsets, binaryIdentity } from '../../../../plugins/runtime/libbpf/refused-offsets.ts';

const made: string[] = [];
test.after.always(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function temp(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

/** Runs `f` with the compile cache in `dir`; what it wrote to stderr. */
function inCache<T>(dir: string, f: () => T): { value: T; stderr: string } {
  const saved = process.env.BPFSCRIPT_CACHE_DIR;
  const write = process.stderr.write;
  let stderr = '';
  process.stderr.write = ((text: string) => ((stderr += String(text)), true)) as typeof process.stderr.write;
  process.env.BPFSCRIPT_CACHE_DIR = dir;
  try {
    return { value: f(), stderr };
  } finally {
    process.stderr.write = write;
    if (saved === undefined) delete process.env.BPFSCRIPT_CACHE_DIR;
    else process.env.BPFSCRIPT_CACHE_DIR = saved;
  }
}

/** A copy of /bin/true (an ELF file with a build id) to key memories by. */
function binary(): string {
  const path = join(temp('bpfs-refused-bin-'), 'prog');
  copyFileSync(realpathSync('/bin/true'), path);
  return path;
}

test.serial('an attach\'s refused offsets are recalled by the next run, by index into its own offsets', (t) => {
  const cache = temp('bpfs-refused-cache-');
  const bin = binary();
  inCache(cache, () => RefusedOffsets.of(bin)!.update([0x10, 0x20, 0x30], [0x20]));
  const { value: recalled, stderr } = inCache(cache, () => RefusedOffsets.of(bin)!.recall([0x30, 0x20, 0x40]));
  t.deepEqual([...recalled], [1]);
  t.is(stderr, '');
  const entries = readdirSync(join(cache, 'uprobe-refused'));
  t.is(entries.length, 1);
  t.regex(entries[0]!, /^[0-9a-f]{32}\.json$/);
});

test.serial('an update takes this attach\'s answer for its offsets and keeps what it knew of others', (t) => {
  const cache = temp('bpfs-refused-cache-');
  const bin = binary();
  inCache(cache, () => RefusedOffsets.of(bin)!.update([1, 2, 3], [1, 3]));
  // A narrower attach: 3 attached this time, 1 was not tried, 7 is new.
  inCache(cache, () => RefusedOffsets.of(bin)!.update([3, 7], [7]));
  t.deepEqual([...inCache(cache, () => RefusedOffsets.of(bin)!.recall([1, 2, 3, 7])).value], [0, 3]);
});

test.serial('another file, or the same path changed, remembers nothing', (t) => {
  const cache = temp('bpfs-refused-cache-');
  const bin = binary();
  inCache(cache, () => RefusedOffsets.of(bin)!.update([5], [5]));
  t.deepEqual([...inCache(cache, () => RefusedOffsets.of(binary())!.recall([5])).value], []);
  const before = binaryIdentity(bin);
  utimesSync(bin, new Date(), new Date(Date.now() + 5000));
  t.not(binaryIdentity(bin), before);
  t.deepEqual([...inCache(cache, () => RefusedOffsets.of(bin)!.recall([5])).value], []);
});

test.serial('the identity names the build id and the kernel; a file that is not ELF has one from its stat alone', (t) => {
  const bin = binary();
  const [, , , , buildId, release] = JSON.parse(binaryIdentity(bin)!) as string[];
  t.regex(buildId!, /^[0-9a-f]{16,}$/);
  t.true(release!.length > 0);
  const text = join(temp('bpfs-refused-bin-'), 'flat');
  writeFileSync(text, 'not an ELF file');
  t.is((JSON.parse(binaryIdentity(text)!) as string[])[4], '');
  t.is(binaryIdentity('/nonexistent/file'), undefined);
  t.is(RefusedOffsets.of('/nonexistent/file'), undefined);
});

test.serial('an entry that is not JSON, or of another identity, remembers nothing and is written again; one others may write is removed with the cache\'s warning', (t) => {
  const cache = temp('bpfs-refused-cache-');
  const bin = binary();
  inCache(cache, () => RefusedOffsets.of(bin)!.update([9], [9]));
  const entry = join(cache, 'uprobe-refused', readdirSync(join(cache, 'uprobe-refused'))[0]!);
  writeFileSync(entry, '{not json');
  t.deepEqual([...inCache(cache, () => RefusedOffsets.of(bin)!.recall([9])).value], []);
  inCache(cache, () => RefusedOffsets.of(bin)!.update([9], [9]));
  t.deepEqual((JSON.parse(readFileSync(entry, 'utf8')) as { refused: number[] }).refused, [9]);
  writeFileSync(entry, JSON.stringify({ identity: 'another', refused: [9] }));
  t.deepEqual([...inCache(cache, () => RefusedOffsets.of(bin)!.recall([9])).value], []);
  inCache(cache, () => RefusedOffsets.of(bin)!.update([9], [9]));
  chmodSync(entry, 0o666);
  const open = inCache(cache, () => RefusedOffsets.of(bin)!.recall([9]));
  t.deepEqual([...open.value], []);
  t.regex(open.stderr, /^WARNING: ignoring compile cache entry \S+uprobe-refused\/[0-9a-f]{32}\.json: it is writable by others \(mode 0666\); building it again\n$/);
});

test.serial('nothing changed, nothing written; a cache that cannot be used is no memory, quietly', (t) => {
  const cache = temp('bpfs-refused-cache-');
  const bin = binary();
  inCache(cache, () => RefusedOffsets.of(bin)!.update([1, 2], []));
  t.deepEqual(readdirSync(join(cache, 'uprobe-refused')), []);
  const file = join(temp('bpfs-refused-cache-'), 'a-file');
  writeFileSync(file, '');
  const r = inCache(file, () => RefusedOffsets.of(bin));
  t.is(r.value, undefined);
  t.is(r.stderr, '');
});
