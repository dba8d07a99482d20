// NODE_EXTRA_CA_CERTS, read when bpfscript makes a TLS connection instead of
// at Node's start. Node reads and parses the file named by the variable before
// any JavaScript runs, in every process: ~40 ms of each start where it names
// a system bundle (this machine's environment names
// /etc/ssl/certs/ca-certificates.crt, 144 certificates), a sixth of a warm
// run. bpfscript makes TLS connections only to push metrics to an https
// OTLP endpoint, so bin/bpfscript passes the variable under another name
// (CARRIED below) and unsets it for Node; the launcher puts it back first
// thing, so child processes (`-c`, system(), clang) see the user's
// environment unchanged, and notes it here; the OTLP exporter trusts the file's
// certificates besides Node's own when it connects (httpsTrust). The wrapper
// leaves the variable to Node where NODE_OPTIONS chooses the CA store
// (`--use-openssl-ca`): an explicit `ca` list would replace that store.
import { readFileSync } from 'node:fs';

/** The variable bin/bpfscript moves NODE_EXTRA_CA_CERTS to (keep in step with it). */
export const CARRIED_EXTRA_CA_CERTS = 'BPFSCRIPT_LAUNCH_EXTRA_CA_CERTS';

/** Where the launcher notes the file Node did not read: shared by the launcher's bundle and the CLI's. */
const DEFERRED = Symbol.for('bpfscript.deferredExtraCaCerts');

type WithDeferred = typeof globalThis & { [DEFERRED]?: string };

/** The launcher's first step: NODE_EXTRA_CA_CERTS back in the environment, and noted as not read by Node. */
export function restoreExtraCaCerts(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[CARRIED_EXTRA_CA_CERTS];
  if (file === undefined) return;
  delete env[CARRIED_EXTRA_CA_CERTS];
  env.NODE_EXTRA_CA_CERTS = file;
  if (file !== '') (globalThis as WithDeferred)[DEFERRED] = file;
}

/** The NODE_EXTRA_CA_CERTS file Node did not read at start (bin/bpfscript moved it), if any. */
export function deferredExtraCaCerts(): string | undefined {
  return (globalThis as WithDeferred)[DEFERRED];
}

/**
 * TLS options that trust what Node would have trusted had it read `file` (the
 * deferred one) at start: its bundled roots and the file's certificates.
 * Undefined without a file (Node read the variable itself, or it is unset),
 * or when the file cannot be read: `warn` then gets Node's own warning, and
 * the defaults stay.
 */
export function httpsTrust(file: string | undefined, rootCertificates: readonly string[], warn: (line: string) => void): { ca: string[] } | undefined {
  if (file === undefined) return undefined;
  try {
    return { ca: [...rootCertificates, readFileSync(file, 'utf8')] };
  } catch (e) {
    warn(`Warning: Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}\n`);
    return undefined;
  }
}
