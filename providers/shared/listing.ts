// How `-l` matches, as bpftrace's probe matcher does: a provider's candidates
// are `target:thing` strings (`syscalls:sys_enter_read`, `/bin/bash:readline`);
// `-l 'PROVIDER:TARGET:THING'` matches them against `TARGET:THING`, and
// `-l 'PROVIDER:THING'` against `*:THING` (any target). `*` spans colons.
import { globMatcher, type GlobMatcher } from '../../lib/host/index.ts';

/** The target a pattern names (`*` when none) and the glob candidates are matched against. */
export function listingSearch(pattern: string): { target: string; search: GlobMatcher } {
  const colon = pattern.indexOf(':');
  if (colon < 0) return { target: '*', search: globMatcher(`*:${pattern || '*'}`) };
  return { target: pattern.slice(0, colon), search: globMatcher(pattern) };
}

/** A glob over candidates without a target part (`cpu-clock:`, `hz:`, `vfs_read`); an empty pattern is `*`. */
export function plainSearch(pattern: string): GlobMatcher {
  return globMatcher(pattern || '*');
}
