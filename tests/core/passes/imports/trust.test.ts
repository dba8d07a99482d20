// The trust rule of imports on real files: owners, group and world write
// bits, sticky folders, links.
import test from 'ava';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trustedOwners, untrustedPath } from '../../../../core/passes/imports/trust.ts';

const stranger = 4242;

function folder(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bpfs-trust-')));
  mkdirSync(join(dir, 'a/b'), { recursive: true });
  writeFileSync(join(dir, 'a/b/f.bt'), '');
  return dir;
}

test('a file of root in folders of root, writable by root only, is trusted (below /tmp, which is sticky)', (t) => {
  const dir = folder();
  t.is(untrustedPath(join(dir, 'a/b/f.bt')), undefined);
  t.is(untrustedPath(join(dir, 'a/missing.bt')), undefined, 'nothing to check: reading it fails later');
});

test('the first offender from the file up: the file, then each folder', (t) => {
  const dir = folder();
  const f = join(dir, 'a/b/f.bt');
  chmodSync(f, 0o666);
  t.like(untrustedPath(f), { path: f, kind: 'world-writable', isDirectory: false });
  chmodSync(f, 0o664);
  t.like(untrustedPath(f), { path: f, kind: 'group-writable' });
  chmodSync(f, 0o644);
  chmodSync(join(dir, 'a'), 0o777);
  t.like(untrustedPath(f), { path: join(dir, 'a'), kind: 'world-writable', isDirectory: true });
  chownSync(join(dir, 'a/b'), stranger, stranger);
  t.like(untrustedPath(f), { path: join(dir, 'a/b'), kind: 'owner', uid: stranger });
});

test('a sticky folder may be writable by all; its entries are still checked', (t) => {
  const dir = folder();
  const f = join(dir, 'a/b/f.bt');
  chmodSync(join(dir, 'a'), 0o1777);
  t.is(untrustedPath(f), undefined);
  chownSync(join(dir, 'a/b'), stranger, stranger);
  t.like(untrustedPath(f), { path: join(dir, 'a/b'), kind: 'owner' });
});

test('links: the real path is checked, and so is the folder the link is in', (t) => {
  const dir = folder();
  mkdirSync(join(dir, 'open'));
  chmodSync(join(dir, 'open'), 0o777);
  writeFileSync(join(dir, 'open/x.bt'), '');
  symlinkSync(join(dir, 'open/x.bt'), join(dir, 'a/to-open.bt'));
  t.like(untrustedPath(join(dir, 'a/to-open.bt')), { path: join(dir, 'open'), kind: 'world-writable' });
  symlinkSync(join(dir, 'a/b/f.bt'), join(dir, 'open/to-safe.bt'));
  t.like(untrustedPath(join(dir, 'open/to-safe.bt')), { path: join(dir, 'open'), kind: 'world-writable' });
});

test('trusted owners: root, the real and effective uid, and under sudo the user who ran it', (t) => {
  t.deepEqual([...trustedOwners({})].sort(), [...new Set([0, process.getuid!(), process.geteuid!()])].sort());
  if (process.getuid!() === 0) t.true(trustedOwners({ SUDO_UID: '1000' }).has(1000));
  t.false(trustedOwners({ SUDO_UID: 'x' }).has(NaN));
});
