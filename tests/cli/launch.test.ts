// The launcher (cli/launch.ts, dist/launch.cjs): the bundle compiled with V8's
// code cache, an entry of the compile cache written by the first run and used
// by the next; an entry V8 rejects or that others could have written is
// replaced, and the output never changes. These runs are of a package without
// the build's code cache (dist/bpfscript.cjs.v8, launch-build-cache.test.ts),
// which the user's entry stands in for where the build could not make it.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { packageCopy, runPackage } from '../helpers/package-copy.ts';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const script = 'begin { printf("%d\\n", 6 * 7); exit(); }';

function entries(cache: string): string[] {
  try {
    return readdirSync(join(cache, 'v8')).filter((n) => n.endsWith('.bin')).map((n) => join(cache, 'v8', n));
  } catch {
    return [];
  }
}

test('the first run writes the code cache (mode 0600); the next runs use it as it is', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'bpfs-v8-'));
  const env = { BPFSCRIPT_CACHE_DIR: cache };
  const pkg = packageCopy({ buildCodeCache: false });
  const first = await runPackage(pkg, ['-q', '-e', script], env);
  t.is(first.stdout, '42\n\n\n');
  const [entry, ...more] = entries(cache);
  t.truthy(entry);
  t.deepEqual(more, []);
  t.is(statSync(entry!).mode & 0o777, 0o600);
  const written = statSync(entry!);
  const second = await runPackage(pkg, ['-q', '-e', script], env);
  t.is(second.stdout, '42\n\n\n');
  t.is(second.stderr, '');
  t.is(statSync(entry!).ino, written.ino, 'a cache V8 accepts is not written again');
});

test('an entry V8 rejects is replaced; one that others may write is ignored with a warning', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'bpfs-v8-'));
  const env = { BPFSCRIPT_CACHE_DIR: cache };
  const pkg = packageCopy({ buildCodeCache: false });
  await runPackage(pkg, ['-q', '-e', script], env);
  const [entry] = entries(cache);
  writeFileSync(entry!, 'not a code cache');
  const garbage = await runPackage(pkg, ['-q', '-e', script], env);
  t.is(garbage.stdout, '42\n\n\n');
  t.is(garbage.stderr, '');
  t.true(statSync(entry!).size > 1000, 'rewritten whole');
  chmodSync(entry!, 0o666);
  const untrusted = await runPackage(pkg, ['-q', '-e', script], env);
  t.is(untrusted.stdout, '42\n\n\n');
  t.regex(untrusted.stderr, /^WARNING: ignoring compile cache entry .*v8\/[0-9a-f]+\.bin: it is writable by others \(mode 0666\); building it again\n$/);
  t.is(statSync(entry!).mode & 0o777, 0o600);
});

test('without a usable compile cache the CLI runs without a code cache, and says why only where it needs the cache', async (t) => {
  const notADir = join(mkdtempSync(join(tmpdir(), 'bpfs-v8-')), 'file');
  writeFileSync(notADir, '');
  const version = await bpfscript(['--version'], { env: { BPFSCRIPT_CACHE_DIR: notADir } });
  t.is(version.code, 0);
  t.is(version.stderr, '');
  const run = await bpfscript(['-q', '-e', script], { env: { BPFSCRIPT_CACHE_DIR: notADir } });
  t.is(run.code, 1);
  t.regex(run.stderr, /cannot use .* as the compile cache: it is not a directory/);
});

test('the code cache entry is named by the bundle\'s bytes, Node\'s version and the architecture', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'bpfs-v8-'));
  const pkg = packageCopy({ buildCodeCache: false });
  await runPackage(pkg, ['-q', '-e', script], { BPFSCRIPT_CACHE_DIR: cache });
  const bundle = readFileSync(join(pkg, 'dist/bpfscript.cjs'));
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(bundle).digest('hex').slice(0, 32);
  t.deepEqual(entries(cache).map((e) => basename(e)), [`${key}.bin`]);
});

test('a bundle with characters beyond ASCII runs as UTF-8, with and without its code cache', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-launch-'));
  copyFileSync(join(repoRoot, 'dist/launch.cjs'), join(dir, 'launch.cjs'));
  writeFileSync(join(dir, 'bpfscript.cjs'), 'process.stdout.write("h\u00e9llo \u2713 " + "\u00e9".length + "\\n");\n');
  const env = { ...process.env, BPFSCRIPT_CACHE_DIR: join(dir, 'cache') };
  for (let run = 0; run < 2; run++) t.is(execFileSync(process.execPath, [join(dir, 'launch.cjs')], { env, encoding: 'utf8' }), 'h\u00e9llo \u2713 1\n');
  t.is(entries(join(dir, 'cache')).length, 1);
});

// bin/bpfscript keeps NODE_EXTRA_CA_CERTS from Node's start (~40 ms of parsing a system bundle;
// lib/host/extra-ca-certs.ts). A file Node cannot read shows whether Node read it: Node warns.
test('NODE_EXTRA_CA_CERTS is not read at Node\'s start, and child processes see it unchanged', async (t) => {
  const env = { NODE_EXTRA_CA_CERTS: '/nonexistent/extra-ca.pem' };
  const r = await bpfscript(['--unsafe', '-q', '-e', 'begin { system("printenv NODE_EXTRA_CA_CERTS; printenv BPFSCRIPT_LAUNCH_EXTRA_CA_CERTS; echo end"); exit(); }'], { env });
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  t.is(r.stdout.trimEnd(), '/nonexistent/extra-ca.pem\nend');
  // Where NODE_OPTIONS chooses OpenSSL's CA store, Node reads it as always (an explicit CA list would replace that store).
  const openssl = await bpfscript(['-q', '-e', 'begin { exit(); }'], { env: { ...env, NODE_OPTIONS: '--use-openssl-ca' } });
  t.is(openssl.code, 0, openssl.stderr);
  t.regex(openssl.stderr, /^Warning: Ignoring extra certs from `\/nonexistent\/extra-ca\.pem`, load failed/m);
});
