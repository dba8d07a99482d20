// NODE_EXTRA_CA_CERTS kept from Node's start (lib/host/extra-ca-certs.ts):
// the launcher's restore, and the trust an https connection is given then.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CARRIED_EXTRA_CA_CERTS, deferredExtraCaCerts, httpsTrust, restoreExtraCaCerts } from '../../../lib/host/extra-ca-certs.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

test.serial('the launcher puts the variable back for child processes and notes the file as not read', (t) => {
  const env: NodeJS.ProcessEnv = { [CARRIED_EXTRA_CA_CERTS]: '/etc/ssl/extra.pem', PATH: '/bin' };
  restoreExtraCaCerts(env);
  t.deepEqual(env, { NODE_EXTRA_CA_CERTS: '/etc/ssl/extra.pem', PATH: '/bin' });
  t.is(deferredExtraCaCerts(), '/etc/ssl/extra.pem');
});

test.serial('without the carried variable nothing changes: Node read NODE_EXTRA_CA_CERTS itself', (t) => {
  const env: NodeJS.ProcessEnv = { NODE_EXTRA_CA_CERTS: '/x.pem' };
  restoreExtraCaCerts(env);
  t.deepEqual(env, { NODE_EXTRA_CA_CERTS: '/x.pem' });
});

test('an https connection trusts Node\'s roots and the file\'s certificates', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfs-ca-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'extra.pem');
  writeFileSync(file, PEM);
  const warnings: string[] = [];
  t.deepEqual(httpsTrust(file, ['root A', 'root B'], (l) => warnings.push(l)), { ca: ['root A', 'root B', PEM] });
  t.deepEqual(warnings, []);
});

test('a file that cannot be read gets Node\'s own warning, and the defaults stay', (t) => {
  const warnings: string[] = [];
  t.is(httpsTrust('/nonexistent/extra.pem', ['root A'], (l) => warnings.push(l)), undefined);
  t.deepEqual(warnings, ["Warning: Ignoring extra certs from `/nonexistent/extra.pem`, load failed: ENOENT: no such file or directory, open '/nonexistent/extra.pem'\n"]);
});

test('no deferred file: no options of its own', (t) => {
  t.is(httpsTrust(undefined, ['root A'], () => t.fail()), undefined);
});
