// bpfscript runs as root: what another local user places on the machine must
// not run or load. A package of theirs found by the upward node_modules
// lookup is refused before any of its code runs; an object they plant in the
// compile cache is not loaded; links and folders of theirs do not get an
// import past the trust rule.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript } from '../helpers/run.ts';

const isRoot = process.geteuid?.() === 0;
const rootTest = isRoot ? test.serial : test.skip;

function tempDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-security-')));
}

/** A fresh local user for the test, removed after it; its uid. */
function addUser(t: import('ava').ExecutionContext): number {
  const name = `bpfs${process.pid % 100000}x${Math.floor(Math.random() * 1000)}`;
  execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  t.teardown(() => execFileSync('userdel', [name]));
  return Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
}

rootTest('a package of another user under a world-writable tree is refused at the import, before its plugin runs', async (t) => {
  const uid = addUser(t);
  const dir = tempDir();
  const world = join(dir, 'world');
  mkdirSync(join(world, 'scripts'), { recursive: true });
  chmodSync(world, 0o777);
  const pkg = join(world, 'node_modules/somepkg');
  mkdirSync(pkg, { recursive: true });
  const marker = join(dir, 'marker');
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'somepkg', type: 'module', bpfscript: { plugin: './plugin.js' } }));
  writeFileSync(join(pkg, 'plugin.js'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'uid=' + process.getuid());\nexport default (sdk) => sdk.definePlugin('somepkg', () => {});\n`);
  execFileSync('chown', ['-R', `${uid}:${uid}`, join(world, 'node_modules')]);
  const main = join(world, 'scripts/main.bt');
  writeFileSync(main, 'import "somepkg";\nbegin { print(1); exit(); }\n');
  const r = await bpfscript([main]);
  t.is(r.stderr,
    `${main}:1:1-17: ERROR: cowardly refusing to import "${pkg}": it is owned by uid ${uid}, not by root or you\n` +
      'import "somepkg";\n' +
      '~~~~~~~~~~~~~~~~\n');
  t.is(r.code, 1);
  t.false(existsSync(marker), 'the plugin never ran');
});

rootTest('an object planted in the compile cache under a script\'s name (another user\'s, or writable by all) is not loaded', async (t) => {
  const uid = addUser(t);
  const env = { BPFSCRIPT_CACHE_DIR: join(tempDir(), 'cache') };
  const objectOf = async (text: string) => {
    const r = await bpfscript(['-v', '-e', text], { env });
    const path = /^BPF object (\S+) /m.exec(r.stderr)?.[1];
    if (!path) throw new Error(r.stderr);
    return path;
  };
  const own = 'begin { print(1234); exit(); }';
  const ownObject = await objectOf(own);
  const other = await objectOf('begin { print(31337); exit(); }');
  for (const plant of [(p: string) => chownSync(p, uid, uid), (p: string) => chmodSync(p, 0o666)]) {
    copyFileSync(other, ownObject);
    plant(ownObject);
    const r = await bpfscript(['-e', own], { env });
    t.regex(r.stdout, /^1234\n/);
    t.regex(r.stderr, new RegExp(`^WARNING: ignoring compile cache entry ${ownObject}: it is (owned by uid ${uid}, not by you|writable by others \\(mode 0666\\)); building it again\\n`));
    t.is(r.code, 0);
  }
});

rootTest('a link in a safe folder into a world-writable one, and a 0755 folder of another user inside one, are refused', async (t) => {
  const uid = addUser(t);
  const dir = tempDir();
  mkdirSync(join(dir, 'open/theirs'), { recursive: true });
  mkdirSync(join(dir, 'safe'));
  chmodSync(join(dir, 'open'), 0o777);
  writeFileSync(join(dir, 'open/x.bt'), 'macro x() { 1 }\n');
  writeFileSync(join(dir, 'open/theirs/y.bt'), 'macro y() { 2 }\n');
  chownSync(join(dir, 'open/theirs'), uid, uid);
  symlinkSync(join(dir, 'open/x.bt'), join(dir, 'safe/x.bt'));
  writeFileSync(join(dir, 'a.bt'), 'import "safe/x.bt";\nbegin { exit(); }\n');
  writeFileSync(join(dir, 'b.bt'), 'import "open/theirs/y.bt";\nbegin { exit(); }\n');
  const a = await bpfscript([join(dir, 'a.bt')]);
  t.is(a.stderr.split('\n')[0], `${dir}/a.bt:1:1-19: ERROR: cowardly refusing to import from a directory with global write permissions: "${dir}/safe/x.bt"`);
  t.regex(a.stderr, new RegExp(`\\nHINT: ${dir}/open is writable by every user\\n$`));
  t.is(a.code, 1);
  const b = await bpfscript([join(dir, 'b.bt')]);
  t.is(b.stderr.split('\n')[0], `${dir}/b.bt:1:1-26: ERROR: cowardly refusing to import "${dir}/open/theirs/y.bt": ${dir}/open/theirs is owned by uid ${uid}, not by root or you`);
  t.is(b.code, 1);
});
