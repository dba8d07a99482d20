// Where a run's time goes (`--timings`): named phases, timed where they run
// (the CLI, the core, plugins), printed at the end in the order they
// first started. A phase that runs inside another is not counted twice: its time
// is taken out of the enclosing phase, so the phases add up to the total.
// Disabled (the default), a measured call costs one branch.

interface PhaseTotal {
  ms: number;
  count: number;
}

export class PhaseTimings {
  #enabled = false;
  readonly #phases = new Map<string, PhaseTotal>();
  /** Time spent in nested phases, per enclosing phase still running. */
  readonly #nested: number[] = [];

  get enabled(): boolean {
    return this.#enabled;
  }

  enable(): void {
    this.#enabled = true;
  }

  /** Adds `ms` to `phase` (for phases measured elsewhere: Node's own start-up). */
  add(phase: string, ms: number): void {
    if (!this.#enabled) return;
    const total = this.#phases.get(phase);
    if (total) {
      total.ms += ms;
      total.count++;
    } else this.#phases.set(phase, { ms, count: 1 });
  }

  /** `fn()`, its time counted to `phase` (less what phases nested in it took). */
  measure<T>(phase: string, fn: () => T): T {
    if (!this.#enabled) return fn();
    const start = this.#begin(phase);
    try {
      return fn();
    } finally {
      this.#end(phase, start);
    }
  }

  /** `fn()`'s promise, its time to settle counted to `phase`; nothing else may be measured meanwhile. */
  async measureAsync<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    if (!this.#enabled) return fn();
    const start = this.#begin(phase);
    try {
      return await fn();
    } finally {
      this.#end(phase, start);
    }
  }

  /** The table `--timings` prints: each phase, then what no phase covered, then the total since the process started. */
  report(totalMs: number = performance.now()): string {
    const rows = [...this.#phases].map(([name, t]) => [t.count > 1 ? `${name} (x${t.count})` : name, t.ms] as const);
    const covered = rows.reduce((sum, [, ms]) => sum + ms, 0);
    rows.push(['other', Math.max(0, totalMs - covered)], ['total', totalMs]);
    const width = Math.max(...rows.map(([name]) => name.length));
    return `Timings (ms):\n${rows.map(([name, ms]) => `  ${name.padEnd(width)} ${ms.toFixed(1).padStart(8)}\n`).join('')}`;
  }

  /** A phase takes its row when it starts (an enclosing phase comes before the phases inside it). */
  #begin(phase: string): number {
    if (!this.#phases.has(phase)) this.#phases.set(phase, { ms: 0, count: 0 });
    this.#nested.push(0);
    return performance.now();
  }

  #end(phase: string, start: number): void {
    const elapsed = performance.now() - start;
    const inner = this.#nested.pop() ?? 0;
    this.add(phase, elapsed - inner);
    if (this.#nested.length) this.#nested[this.#nested.length - 1]! += elapsed;
  }
}

/** The process's phase timings (one run per process). */
export const timings = new PhaseTimings();
