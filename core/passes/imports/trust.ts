// Whether a file that bpfscript is about to run or load as root could have
// been written by someone else: the trust rule of imports (.bt files, C units,
// packages and their plugins).
//
// A path is trusted when its real path (symbolic links resolved) and every
// directory above it, up to `/`, are owned by root or the invoking user and
// are writable by nobody else (neither group nor others). A directory with the
// sticky bit (like /tmp, mode 1777) may be writable by all: in it only an
// entry's owner can rename or remove the entry, so what lies below stays
// under the owner check.
import { realpathSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

export type TrustProblemKind = 'world-writable' | 'group-writable' | 'owner';

/** The first file or directory on a path that breaks the rule, and how. */
export interface TrustProblem {
  path: string;
  kind: TrustProblemKind;
  /** Its owner. */
  uid: number;
  isDirectory: boolean;
}

const STICKY = 0o1000;

/**
 * The owners a file may have: root and the invoking user (the real and
 * effective uid, and under sudo the user who ran sudo, from SUDO_UID: that
 * user can run anything as root already, so trusting their files grants
 * nothing new).
 */
export function trustedOwners(env: Readonly<Record<string, string | undefined>> = process.env): Set<number> {
  const owners = new Set([0, process.getuid?.() ?? 0, process.geteuid?.() ?? 0]);
  const sudo = Number(env.SUDO_UID);
  if ((process.getuid?.() ?? 0) === 0 && env.SUDO_UID && Number.isInteger(sudo) && sudo >= 0) owners.add(sudo);
  return owners;
}

function problemOf(path: string, st: Stats, owners: ReadonlySet<number>): TrustProblem | undefined {
  const base = { path, uid: st.uid, isDirectory: st.isDirectory() };
  if (!owners.has(st.uid)) return { ...base, kind: 'owner' };
  if (base.isDirectory && st.mode & STICKY) return undefined;
  if (st.mode & 0o002) return { ...base, kind: 'world-writable' };
  if (st.mode & 0o020) return { ...base, kind: 'group-writable' };
  return undefined;
}

/** Checks `real` (no links in it) and each directory above it, nearest first. */
function checkChain(real: string, owners: ReadonlySet<number>): TrustProblem | undefined {
  for (let p = real; ; p = dirname(p)) {
    const problem = problemOf(p, statSync(p), owners);
    if (problem) return problem;
    if (dirname(p) === p) return undefined;
  }
}

/**
 * The first place where `path` breaks the trust rule, or undefined when it
 * holds. Both the file's real path and the real path of the folder it is
 * named in are checked, so a link in a safe folder pointing into an open one
 * is refused, and so is a link to a safe file placed in an open folder. A
 * path that does not exist has nothing to check (reading it fails later).
 */
export function untrustedPath(path: string, owners: ReadonlySet<number> = trustedOwners()): TrustProblem | undefined {
  let real: string;
  let realDir: string;
  try {
    real = realpathSync(path);
    realDir = realpathSync(dirname(path));
  } catch {
    return undefined;
  }
  return checkChain(real, owners) ?? (realDir === dirname(real) ? undefined : checkChain(realDir, owners));
}
