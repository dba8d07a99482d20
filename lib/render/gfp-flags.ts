// printf's `%gr`: GFP (get-free-pages) allocation flags by name, as the
// kernel's own `%pGg` and upstream bpftrace print them: the compound masks
// first (GFP_KERNEL, GFP_ATOMIC...), then the single bits left, then any bits
// without a name in hex, joined by `|`; no flags at all is `0`.

/** Bit numbers of linux/gfp_types.h (bit 9 is unused). */
const BIT = {
  DMA: 0, HIGHMEM: 1, DMA32: 2, MOVABLE: 3, RECLAIMABLE: 4, HIGH: 5, IO: 6, FS: 7, ZERO: 8,
  DIRECT_RECLAIM: 10, KSWAPD_RECLAIM: 11, WRITE: 12, NOWARN: 13, RETRY_MAYFAIL: 14, NOFAIL: 15, NORETRY: 16,
  MEMALLOC: 17, COMP: 18, NOMEMALLOC: 19, HARDWALL: 20, THISNODE: 21, ACCOUNT: 22, ZEROTAGS: 23,
  SKIP_ZERO: 24, SKIP_KASAN: 25, NO_OBJ_EXT: 26,
} as const;

const flag = (name: keyof typeof BIT): bigint => 1n << BigInt(BIT[name]);

const RECLAIM = flag('DIRECT_RECLAIM') | flag('KSWAPD_RECLAIM');
const ATOMIC = flag('HIGH') | flag('KSWAPD_RECLAIM');
const KERNEL = RECLAIM | flag('IO') | flag('FS');
const NOIO = RECLAIM;
const NOFS = NOIO | flag('IO');
const USER = NOFS | flag('FS') | flag('HARDWALL');
const HIGHUSER = USER | flag('HIGHMEM');
const HIGHUSER_MOVABLE = HIGHUSER | flag('MOVABLE') | flag('SKIP_KASAN');
const TRANSHUGE_LIGHT = (HIGHUSER_MOVABLE | flag('COMP') | flag('NOMEMALLOC') | flag('NOWARN')) & ~RECLAIM;
const TRANSHUGE = TRANSHUGE_LIGHT | flag('DIRECT_RECLAIM');

/**
 * The names in the kernel's order (include/trace/events/mmflags.h): a mask
 * that matches takes its bits, so the wider masks must come first.
 * __GFP_MOVABLE and __GFP_RECLAIMABLE have no name of their own here (as upstream).
 */
const NAMES: readonly (readonly [bigint, string])[] = [
  [TRANSHUGE, 'GFP_TRANSHUGE'],
  [TRANSHUGE_LIGHT, 'GFP_TRANSHUGE_LIGHT'],
  [HIGHUSER_MOVABLE, 'GFP_HIGHUSER_MOVABLE'],
  [HIGHUSER, 'GFP_HIGHUSER'],
  [USER, 'GFP_USER'],
  [KERNEL | flag('ACCOUNT'), 'GFP_KERNEL_ACCOUNT'],
  [KERNEL, 'GFP_KERNEL'],
  [NOFS, 'GFP_NOFS'],
  [ATOMIC, 'GFP_ATOMIC'],
  [NOIO, 'GFP_NOIO'],
  [flag('KSWAPD_RECLAIM') | flag('NOWARN'), 'GFP_NOWAIT'],
  [flag('DMA'), 'GFP_DMA'],
  [flag('HIGHMEM'), '__GFP_HIGHMEM'],
  [flag('DMA32'), 'GFP_DMA32'],
  ...(['HIGH', 'IO', 'FS', 'ZERO', 'DIRECT_RECLAIM', 'KSWAPD_RECLAIM', 'WRITE', 'NOWARN', 'RETRY_MAYFAIL', 'NOFAIL', 'NORETRY',
    'MEMALLOC', 'COMP', 'NOMEMALLOC', 'HARDWALL', 'THISNODE', 'ACCOUNT', 'ZEROTAGS', 'SKIP_ZERO', 'SKIP_KASAN', 'NO_OBJ_EXT'] as const)
    .map((name) => [flag(name), `__GFP_${name}`] as const),
];

/** GFP flags (taken as an unsigned 64-bit value) by name: `GFP_KERNEL`, `GFP_ATOMIC|__GFP_HIGHMEM`, `__GFP_IO|0x8`. */
export function formatGfpFlags(value: bigint): string {
  let rest = BigInt.asUintN(64, value);
  if (rest === 0n) return '0';
  const parts: string[] = [];
  for (const [mask, name] of NAMES) {
    if ((rest & mask) !== mask) continue;
    parts.push(name);
    rest &= ~mask;
  }
  if (rest !== 0n) parts.push(`0x${rest.toString(16)}`);
  return parts.join('|');
}
