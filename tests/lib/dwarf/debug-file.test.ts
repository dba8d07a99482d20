// Finding a stripped binary's separate debug file the way libdw's standard
// lookup does: the search path's three kinds of entries, build ids, the
// debuglink's CRC when there is no build id, and what never counts.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import { buildId, debugLink, findDebugFile } from '../../../lib/dwarf/index.ts';
import { ElfFile } from '../../../lib/host/index.ts';
import { fixtureProgram, type FixtureBuild } from '../../helpers/run.ts';

const withId: FixtureBuild = { variant: 'g', flags: ['-g', '-O0'] };
const withoutId: FixtureBuild = { variant: 'g-noid', flags: ['-g', '-O0', '-Wl,--build-id=none'] };

/** A stripped copy of a build at `dir/name`, with its debug information kept in `dir/name.full`, linked by name when `link` is given. */
function strip(build: FixtureBuild, dir: string, name: string, link?: string): { binary: string; debug: string } {
  mkdirSync(dir, { recursive: true });
  const binary = join(dir, name);
  const debug = join(dir, `${name}.full`);
  execFileSync('objcopy', ['--only-keep-debug', fixtureProgram('dwarf-target', build), debug]);
  execFileSync('objcopy', ['--strip-debug', fixtureProgram('dwarf-target', build), binary]);
  if (link) {
    const named = join(dir, link);
    copyFileSync(debug, named);
    execFileSync('objcopy', [`--add-gnu-debuglink=${named}`, binary]);
  }
  return { binary, debug };
}

const find = (path: string, searchPath: string[]) => findDebugFile({ path, elf: new ElfFile(readFileSync(path), path), searchPath });

test('build id and debuglink are read from the ELF notes and sections', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-debugfile-'));
  const { binary } = strip(withId, dir, 'prog', 'prog.dbg');
  const elf = new ElfFile(readFileSync(binary), binary);
  t.regex(buildId(elf)!, /^[0-9a-f]{40}$/);
  t.is(buildId(elf), /Build ID: ([0-9a-f]+)/.exec(execFileSync('readelf', ['-n', binary], { encoding: 'utf8' }))![1]);
  t.deepEqual(debugLink(elf), { name: 'prog.dbg', crc: crc32(readFileSync(join(dir, 'prog.dbg'))) });
  t.is(buildId(new ElfFile(readFileSync(fixtureProgram('dwarf-target', withoutId)), 'x')), undefined);
});

test("the search path: '' is the binary's folder, a relative entry a folder under it, an absolute one a tree mirroring the binary's folder", (t) => {
  const root = mkdtempSync(join(tmpdir(), 'bs-debugfile-'));
  const { binary, debug } = strip(withoutId, join(root, 'usr', 'bin'), 'prog');
  t.is(find(binary, ['', '.debug', join(root, 'lib')]), undefined);
  // Without a debuglink the name is the binary's + `.debug`.
  copyFileSync(debug, join(root, 'usr', 'bin', 'prog.debug'));
  t.is(find(binary, ['']), join(root, 'usr', 'bin', 'prog.debug'));
  mkdirSync(join(root, 'usr', 'bin', 'sub'));
  copyFileSync(debug, join(root, 'usr', 'bin', 'sub', 'prog.debug'));
  t.is(find(binary, ['sub', '']), join(root, 'usr', 'bin', 'sub', 'prog.debug'));
  // An absolute entry: ENTRY/<the binary's absolute folder>/NAME, then with leading folders dropped.
  const tree = join(root, 'debugtree');
  const mirrored = join(tree, relative('/', join(root, 'usr', 'bin')));
  mkdirSync(mirrored, { recursive: true });
  copyFileSync(debug, join(mirrored, 'prog.debug'));
  t.is(find(binary, [tree]), join(mirrored, 'prog.debug'));
  const shallow = join(root, 'shallow');
  mkdirSync(join(shallow, 'bin'), { recursive: true });
  copyFileSync(debug, join(shallow, 'bin', 'prog.debug'));
  t.is(find(binary, [shallow]), join(shallow, 'bin', 'prog.debug'));
  // A relative binary path cannot be mirrored, so (as libdw) the search is done again for its real path.
  t.is(find(relative(process.cwd(), binary), [tree]), join(mirrored, 'prog.debug'));
});

test('without a build id, a debuglink CRC that does not match rejects the file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-debugfile-'));
  const { binary } = strip(withoutId, dir, 'prog', 'prog.dbg');
  t.is(find(binary, ['']), join(dir, 'prog.dbg'));
  const other = readFileSync(join(dir, 'prog.dbg'));
  other[other.length - 1] ^= 0xff;
  writeFileSync(join(dir, 'prog.dbg'), other);
  t.is(find(binary, ['']), undefined);
});

test('by build id: only under absolute entries, and only a file with the same build id', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-debugfile-'));
  const { binary, debug } = strip(withId, join(dir, 'bin'), 'prog');
  const id = buildId(new ElfFile(readFileSync(binary), binary))!;
  const store = join(dir, 'store');
  mkdirSync(join(store, '.build-id', id.slice(0, 2)), { recursive: true });
  const byId = join(store, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`);
  copyFileSync(debug, byId);
  t.is(find(binary, [store]), byId);
  // A file of another build at that place is not taken.
  execFileSync('objcopy', ['--only-keep-debug', fixtureProgram('dwarf-target', withoutId), byId]);
  t.is(find(binary, [store]), undefined);
});

test('the binary is never its own debug file, even with the same build id', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-debugfile-'));
  const { binary } = strip(withId, dir, 'prog');
  execFileSync('objcopy', [`--add-gnu-debuglink=${binary}`, binary]);
  t.is(debugLink(new ElfFile(readFileSync(binary), binary))?.name, 'prog');
  t.is(find(binary, ['']), undefined);
});
