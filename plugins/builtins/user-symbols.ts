// The user-space symbolizer of a session, shared by ustack's and usym()'s
// renderers, set up from the run's config (`cache_user_symbols`,
// `cpp_demangle`) and from the program: a process gone before its addresses
// are named is assumed to have run the program's one uprobe/USDT binary, as
// bpftrace assumes the probe's.
import type { RunSession } from '../../sdk/index.ts';
import { UserSymbolizer, type UserSymbol } from '../../lib/host/index.ts';

const symbolizers = new WeakMap<RunSession, UserSymbolizer>();

/** The binary of the program's user-space probes, when they all name one. */
function probedBinary(session: RunSession): string | undefined {
  const binaries = new Set(session.manifest.probes.flatMap((p) => (typeof p.target.binary === 'string' ? [p.target.binary] : [])));
  return binaries.size === 1 ? [...binaries][0] : undefined;
}

export function userSymbolizer(session: RunSession): UserSymbolizer {
  let s = symbolizers.get(session);
  if (!s) {
    s = new UserSymbolizer({ cache: session.config.cacheUserSymbols, demangle: session.config.cppDemangle, fallbackExecutable: probedBinary(session) });
    symbolizers.set(session, s);
  }
  return s;
}

/** `name+offset`, or the address in hex (`0x7f..`) when no symbol is known, as bpftrace prints user frames. */
export function symbolWithOffset(sym: UserSymbol | undefined, address: bigint): string {
  return sym ? `${sym.name}+${sym.offset}` : `0x${address.toString(16)}`;
}
