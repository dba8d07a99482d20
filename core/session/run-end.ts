// What ends a run: exit() (its code; the first one given wins), a failure of
// the event stream, the -c child's exit, the -p target's exit, SIGINT/SIGTERM
// (or the caller's abort signal), driven probes having run. SIGUSR1 runs the
// script's self:signal:SIGUSR1 probes (or prints every map when it has none)
// while the run waits.
import type { ChildProcessHandle } from './child.ts';

/** What the wait listens to besides exit(). */
export interface RunEndSources {
  /** The caller's stop signal; without one the run owns SIGINT/SIGTERM. */
  stop?: AbortSignal;
  child?: ChildProcessHandle;
  /** -p PID: polled until it is gone. */
  targetPid?: number;
  /** SIGUSR1. */
  onUsr1(): void;
}

/** How long after Ctrl-C/SIGTERM the events queued are still delivered. */
const SIGNAL_GRACE_MS = 250;

/** How often -p's target is looked for. */
const PID_POLL_MS = 200;

export class RunEnd {
  /** exit()'s code, once called. */
  exitCode: number | undefined;
  /** Why the event stream stopped, if it failed. */
  error: unknown;
  /** When Ctrl-C or SIGTERM (or the caller's abort) ended the run (performance.now()). */
  #interruptedAt: number | undefined;
  readonly #finished: Promise<void>;
  #resolve!: () => void;

  constructor() {
    this.#finished = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
  }

  /**
   * Whether records still queued are now dropped (until the end probes run):
   * a signal ended the run over SIGNAL_GRACE_MS ago. Events queued when the
   * signal came are still delivered, but a backlog that takes longer (every
   * event runs a command with system()) does not keep the end probes from
   * running: bpftrace drops them all once the signal came.
   */
  get interruptedLongAgo(): boolean {
    return this.#interruptedAt !== undefined && performance.now() - this.#interruptedAt > SIGNAL_GRACE_MS;
  }

  /** Ends the run normally (end probes run, maps are printed). */
  stop(): void {
    this.#resolve();
  }

  /** exit(code): the first code given wins. */
  exit(code: number): void {
    if (this.exitCode === undefined) this.exitCode = code;
    this.stop();
  }

  /**
   * exit()'s code, which is forgotten: each test (`--test`) and each round of
   * a benchmark has its own, and exit() there does not end the run.
   */
  takeExitCode(): number | undefined {
    const code = this.exitCode;
    this.exitCode = undefined;
    return code;
  }

  /** The event stream failed: the wait rethrows the error. */
  fail(error: unknown): void {
    this.error = error;
    this.stop();
  }

  /** Waits until something ends the run; listeners are gone when it returns. */
  async wait(sources: RunEndSources): Promise<void> {
    // Ctrl-C and SIGTERM end the run normally (end probes, maps).
    const onSignal = () => {
      this.#interruptedAt ??= performance.now();
      this.stop();
    };
    const ownSignals = !sources.stop;
    if (ownSignals) {
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    } else if (sources.stop!.aborted) this.stop();
    else sources.stop!.addEventListener('abort', onSignal);
    const onUsr1 = () => sources.onUsr1();
    process.on('SIGUSR1', onUsr1);
    sources.child?.exited.then(() => this.stop());
    const targetPid = sources.targetPid;
    const pidWatch = targetPid ? setInterval(() => {
      try {
        process.kill(targetPid, 0);
      } catch {
        this.stop();
      }
    }, PID_POLL_MS) : undefined;
    if (this.exitCode === undefined) await this.#finished;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    sources.stop?.removeEventListener('abort', onSignal);
    process.off('SIGUSR1', onUsr1);
    if (pidWatch) clearInterval(pidWatch);
    if (this.error) throw this.error;
  }
}
