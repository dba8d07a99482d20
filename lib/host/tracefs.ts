// Reads tracefs: tracepoint format files and event listings. The root is the
// first of /sys/kernel/tracing and /sys/kernel/debug/tracing that has an
// `events` folder, or BPFSCRIPT_TRACEFS (tests point it at a folder without
// tracefs to see what a machine without it gets).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { timings, type Tracefs, type TracepointField, type TracepointFormat } from '../../sdk/index.ts';
import { globMatcher, hasWildcard } from './glob.ts';

const candidateRoots = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

export function findTracefsRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.BPFSCRIPT_TRACEFS) return env.BPFSCRIPT_TRACEFS;
  return candidateRoots.find((r) => existsSync(join(r, 'events'))) ?? candidateRoots[0];
}

/** Parses one `field:...;` line of a format file. */
export function parseFormatField(line: string): TracepointField | undefined {
  const m = /^\s*field:(.*?);\s*offset:(\d+);\s*size:(\d+);\s*signed:(\d);/.exec(line);
  if (!m) return undefined;
  const decl = m[1].trim();
  const dm = /^(.*?)([A-Za-z_][A-Za-z0-9_]*)\s*(\[(\d*)\])?$/.exec(decl);
  if (!dm) return undefined;
  const field: TracepointField = {
    name: dm[2],
    cType: (dm[1].trim() + (dm[3] ? `[${dm[4] ?? ''}]` : '')).trim(),
    offset: Number(m[2]),
    size: Number(m[3]),
    signed: m[4] === '1',
  };
  if (dm[3] && dm[4]) field.arrayLength = Number(dm[4]);
  return field;
}

export function parseFormat(category: string, event: string, text: string): TracepointFormat {
  const id = Number(/^ID:\s*(\d+)/m.exec(text)?.[1] ?? 0);
  const fields: TracepointField[] = [];
  for (const line of text.split('\n')) {
    const f = parseFormatField(line);
    if (f) fields.push(f);
  }
  return { category, event, id, fields };
}

export class TracefsReader implements Tracefs {
  private readonly formats = new Map<string, TracepointFormat>();
  private dynamicEvents: Set<string> | undefined;
  private available: { category: string; event: string }[] | null | undefined;
  constructor(readonly root: string = findTracefsRoot()) {}

  private eventsDir(): string {
    return join(this.root, 'events');
  }

  /** Why tracepoints cannot be read: tracefs is not mounted at the root. */
  unavailable(): string | undefined {
    if (existsSync(this.eventsDir())) return undefined;
    return `tracefs is not mounted (${this.eventsDir()} does not exist): mount it with 'mount -t tracefs nodev ${this.root}'`;
  }

  kernelRelease(): string {
    return release();
  }

  /** From `dynamic_events` (`p:kprobes/name sym`, `s:synthetic/name ...`): read once. */
  isDynamicEvent(category: string, event: string): boolean {
    this.dynamicEvents ??= timings.measure('tracefs', () => {
      let text = '';
      try {
        text = readFileSync(join(this.root, 'dynamic_events'), 'utf8');
      } catch {
        // no dynamic events (or no file): every event is a static one
      }
      return new Set(text.split('\n').map((l) => /^\S+:([^/\s]+\/\S+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined));
    });
    return this.dynamicEvents.has(`${category}/${event}`);
  }

  listTracepoints(categoryGlob: string, eventGlob: string): { category: string; event: string }[] {
    return timings.measure('tracefs', () => this.findTracepoints(categoryGlob, eventGlob));
  }

  private findTracepoints(categoryGlob: string, eventGlob: string): { category: string; event: string }[] {
    // One named tracepoint: its folder, not the hundreds of names around it.
    if (plainName(categoryGlob) && plainName(eventGlob)) {
      return this.isEventDir(categoryGlob, eventGlob) ? [{ category: categoryGlob, event: eventGlob }] : [];
    }
    const categoryMatch = globMatcher(categoryGlob);
    const eventMatch = globMatcher(eventGlob);
    const available = this.availableEvents();
    if (available) return available.filter(({ category, event }) => categoryMatch.test(category) && eventMatch.test(event));
    const out: { category: string; event: string }[] = [];
    let cats: string[];
    try {
      cats = readdirSync(this.eventsDir());
    } catch {
      return out;
    }
    for (const category of cats.sort()) {
      if (!categoryMatch.test(category)) continue;
      let events: string[];
      try {
        events = readdirSync(join(this.eventsDir(), category), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name);
      } catch {
        continue;
      }
      for (const event of events.sort()) if (eventMatch.test(event)) out.push({ category, event });
    }
    return out;
  }

  /**
   * The events tracepoints can attach to (`available_events`: one read, where
   * walking events/ takes thousands), sorted by category, then event; ftrace's
   * internal events are not there. Undefined where it cannot be read.
   */
  private availableEvents(): { category: string; event: string }[] | undefined {
    if (this.available === undefined) {
      let text: string | undefined;
      try {
        text = readFileSync(join(this.root, 'available_events'), 'utf8');
      } catch {
        // a root without it (a folder of our own): events/ is walked
      }
      this.available = text === undefined ? null : parseAvailableEvents(text);
    }
    return this.available ?? undefined;
  }

  private isEventDir(category: string, event: string): boolean {
    try {
      return statSync(join(this.eventsDir(), category, event)).isDirectory();
    } catch {
      return false;
    }
  }

  format(category: string, event: string): TracepointFormat {
    const key = `${category}:${event}`;
    let f = this.formats.get(key);
    if (!f) {
      const text = timings.measure('tracefs', () => readFileSync(join(this.eventsDir(), category, event, 'format'), 'utf8'));
      f = parseFormat(category, event, text);
      this.formats.set(key, f);
    }
    return f;
  }

  listRawTracepoints(glob: string): string[] {
    // Every tracefs event is also a raw tracepoint of the same name.
    const re = globMatcher(glob);
    const names = new Set<string>();
    for (const { event } of this.listTracepoints('*', '*')) if (re.test(event)) names.add(event);
    return [...names].sort();
  }
}

/** `category:event` a line, as available_events lists them; sorted by category, then event. */
export function parseAvailableEvents(text: string): { category: string; event: string }[] {
  const out: { category: string; event: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):(\S+)$/.exec(line.trim());
    if (m) out.push({ category: m[1]!, event: m[2]! });
  }
  return out.sort((a, b) => (a.category !== b.category ? (a.category < b.category ? -1 : 1) : a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
}

/** A folder name that a glob matches only itself: no wildcard, no path. */
function plainName(glob: string): boolean {
  return !hasWildcard(glob) && !glob.includes('/') && !glob.includes('\\') && glob !== '.' && glob !== '..';
}
