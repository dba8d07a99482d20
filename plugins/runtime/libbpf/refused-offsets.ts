// The offsets of a binary that the kernel refused to probe, remembered in the
// compile cache (`uprobe-refused/<key>.json`), so that a later run leaves
// them out of its uprobe_multi link instead of finding them again by halving
// (offset-split.ts: about a second for libc's one `lock`-prefixed entry).
// Whether the kernel can probe an offset depends on the instruction there and
// on the kernel, so an entry is keyed by the binary's identity (device,
// inode, size, mtime, build id) and the kernel's release and version. What
// is remembered is only a hint: each remembered offset is still tried on its
// own (offset-split.ts), so a wrong or stale entry costs a try, never a
// function. Every failure to read or write an entry is quiet: the run then
// searches as before. Entries follow the cache's trust rules
// (core/build: trustedEntry, writeEntry, the size bound).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { release, version } from 'node:os';
import { join } from 'node:path';
import { cacheSubdir, trustedEntry, writeEntry } from '../../../core/build/index.ts';
import { ElfFile } from '../../../lib/host/index.ts';

const SUBDIR = 'uprobe-refused';

interface Record {
  identity: string;
  /** File offsets the kernel refused, ascending. */
  refused: number[];
}

/** What makes the kernel's answers for `path` the same as last time; undefined when the file cannot be read. */
export function binaryIdentity(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    let buildId = '';
    try {
      buildId = ElfFile.openSections(path, (name) => name === '.note.gnu.build-id').buildId() ?? '';
    } catch {
      // Not ELF (the kernel probes it all the same): the file's stat is the identity.
    }
    return JSON.stringify([st.dev.toString(), st.ino.toString(), st.size.toString(), st.mtimeNs.toString(), buildId, release(), version()]);
  } catch {
    return undefined;
  }
}

function entryPath(identity: string): string {
  return join(cacheSubdir(SUBDIR), `${createHash('sha256').update(identity).digest('hex').slice(0, 32)}.json`);
}

/** The offsets an entry remembers; none when it is missing, not ours, unreadable or of another identity (it is then written again). */
function readRecord(path: string, identity: string): number[] {
  if (!trustedEntry(path)) return [];
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<Record>;
    if (r.identity !== identity || !Array.isArray(r.refused)) return [];
    return r.refused.filter((o) => Number.isSafeInteger(o) && o >= 0);
  } catch {
    return [];
  }
}

/** The refused offsets remembered for one binary, and the updating of them after an attach. */
export class RefusedOffsets {
  private constructor(
    private readonly path: string,
    private readonly identity: string,
    private readonly known: ReadonlySet<number>,
  ) {}

  /** The memory of `binaryPath`; undefined when the file or the cache cannot be used (the run then searches). */
  static of(binaryPath: string): RefusedOffsets | undefined {
    const identity = binaryIdentity(binaryPath);
    if (identity === undefined) return undefined;
    try {
      const path = entryPath(identity);
      return new RefusedOffsets(path, identity, new Set(readRecord(path, identity)));
    } catch {
      return undefined;
    }
  }

  /** The indices of `offsets` remembered as refused. */
  recall(offsets: readonly number[]): Set<number> {
    const out = new Set<number>();
    offsets.forEach((o, i) => this.known.has(o) && out.add(i));
    return out;
  }

  /**
   * After attaching `offsets`, of which the kernel refused `refused`: the
   * memory keeps what it knew of other offsets and takes this attach's
   * answer for these. Written only when that changes it.
   */
  update(offsets: readonly number[], refused: readonly number[]): void {
    const tried = new Set(offsets);
    const next = new Set([...this.known].filter((o) => !tried.has(o)));
    for (const o of refused) next.add(o);
    if (next.size === this.known.size && [...next].every((o) => this.known.has(o))) return;
    try {
      writeEntry(this.path, JSON.stringify({ identity: this.identity, refused: [...next].sort((a, b) => a - b) } satisfies Record));
    } catch {
      // A cache that cannot be written only costs the next run the search.
    }
  }
}
