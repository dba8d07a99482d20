// One offset the kernel cannot probe (an instruction uprobes cannot emulate:
// uprobe_register fails with ENOTSUPP, or EINVAL) fails a whole uprobe_multi
// link, and the kernel does not say which offset it was. The offsets are
// halved and each half tried again, keeping the links of the halves that
// attach: each offset left out costs about 2 log2(n) tries, the others are
// attached once more at most per level above them. Offsets known to have
// been refused before (refused-offsets.ts) are left out of the first link and
// each tried on its own after it: one try each where the memory is right, and
// where it is wrong the offset attaches all the same.

/** The errnos by which uprobe_register refuses an offset it cannot probe. */
const UNPROBEABLE_ERRNOS: ReadonlySet<number> = new Set([524 /* ENOTSUPP */, 95 /* EOPNOTSUPP */, 22 /* EINVAL */]);

/** Whether a failed attach may be an offset the kernel cannot probe (worth splitting to find it). */
export function mayBeUnprobeable(e: unknown): boolean {
  return typeof e === 'object' && e !== null && UNPROBEABLE_ERRNOS.has((e as { errno?: number }).errno ?? 0);
}

export interface SplitAttach<L> {
  /** One link for the offsets at these indices; throws when the kernel refuses it. */
  attach(indices: number[]): L;
  destroy(link: L): void;
  /** The most offsets one link takes (1: a uprobe link per offset); no limit when absent. */
  most?: number;
}

export interface SplitResult<L> {
  links: L[];
  /** The indices the kernel refused on their own, each with its error. */
  refused: { index: number; error: unknown }[];
}

/**
 * Attaches the offsets at indices 0..count-1, splitting where a link fails
 * for an offset it cannot probe; any other failure destroys the links made
 * and is thrown. The indices in `knownRefused` are tried last, each alone.
 * The refused come back in index order.
 */
export function attachSplitting<L>(count: number, how: SplitAttach<L>, knownRefused: ReadonlySet<number> = new Set()): SplitResult<L> {
  const out: SplitResult<L> = { links: [], refused: [] };
  const split = (indices: number[]): void => {
    const half = Math.ceil(indices.length / 2);
    attachPart(indices.slice(0, half));
    attachPart(indices.slice(half));
  };
  const attachPart = (indices: number[]): void => {
    if (!indices.length) return;
    if (how.most !== undefined && indices.length > how.most) return split(indices);
    try {
      out.links.push(how.attach(indices));
    } catch (e) {
      if (!mayBeUnprobeable(e)) throw e;
      if (indices.length === 1) {
        out.refused.push({ index: indices[0]!, error: e });
        return;
      }
      split(indices);
    }
  };
  const all = Array.from({ length: count }, (_, i) => i);
  try {
    attachPart(all.filter((i) => !knownRefused.has(i)));
    for (const i of all) if (knownRefused.has(i)) attachPart([i]);
  } catch (e) {
    for (const l of out.links) how.destroy(l);
    throw e;
  }
  out.refused.sort((a, b) => a.index - b.index);
  return out;
}
