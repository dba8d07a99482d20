// A clang started before the C it will compile exists. clang spends ~100 ms
// starting (LLVM's static initialisers and page faults) before it reads its
// input: started when a run will most likely compile (its code cache or its
// parse cache missed), that start-up runs beside bpfscript's own start-up
// and compile, and the generated C is fed to it when it is ready.
//
// clang reads the C on stdin, after a `#line` directive that names the file
// the C is written to anyway (so clang's messages name it as before), and
// writes the object on stdout: a process that dies before feeding it leaves
// no file behind, and clang, finding its input ended and its output closed,
// ends too. A compile cache hit, or a run that never compiles, kills it; so
// does the process's exit. The handle lives on `globalThis`, so the launcher
// (its own bundle, cli/launch.ts) can start the clang the CLI's bundle uses.
import { spawn, type ChildProcess } from 'node:child_process';

/** What an early clang's run ended with (no Node types: the package's declarations compile without @types/node). */
export interface EarlyClangOutcome {
  status: number | null;
  signal: string | null;
  object: Uint8Array;
  stderr: string;
  error?: Error;
}

interface EarlyClang {
  clang: string;
  args: readonly string[];
  child: ChildProcess;
  outcome: Promise<EarlyClangOutcome>;
  /** Resolved at its exit (its output may still be unread). */
  exited: Promise<void>;
}

const HANDLE = Symbol.for('bpfscript.earlyClang');
type Holder = { [HANDLE]?: EarlyClang };
const holder = globalThis as Holder;

/** The last resort (process.exit, a crash): nothing can wait for the reap any more. */
function killAtExit(): void {
  void discardEarlyClang();
}

/** clang's arguments for a compile of stdin to stdout with `flags`. */
function argsFor(flags: readonly string[]): string[] {
  return [...flags, '-x', 'c', '-c', '-', '-o', '-'];
}

/**
 * Kills the early clang, if one is waiting, and forgets it; resolves once it
 * is reaped. Until then it holds the process, so that a run ending now
 * leaves no zombie for an init that may never reap it.
 */
export function discardEarlyClang(): Promise<void> {
  const early = holder[HANDLE];
  if (!early) return Promise.resolve();
  delete holder[HANDLE];
  process.removeListener('exit', killAtExit);
  early.child.ref();
  if (early.child.exitCode === null && early.child.signalCode === null) early.child.kill('SIGKILL');
  return early.exited;
}

/**
 * Starts `clang` with `flags` waiting for its input, unless one is waiting
 * already or BPFSCRIPT_NO_EARLY_CLANG is set. Nothing of it holds the
 * process: it is killed at exit when nobody took it. Its process id, when it
 * was started.
 */
export function startEarlyClang(clang: string, flags: readonly string[]): number | undefined {
  if (holder[HANDLE] || process.env.BPFSCRIPT_NO_EARLY_CLANG) return undefined;
  const args = argsFor(flags);
  let child: ChildProcess;
  try {
    child = spawn(clang, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch {
    return undefined; // the compile spawns its own clang, and reports what fails then
  }
  const object: Buffer[] = [];
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => object.push(b));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  // A clang killed before it read its input: its stdin is closed under the write.
  child.stdin!.on('error', () => {});
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  const outcome = new Promise<EarlyClangOutcome>((resolve) => {
    child.on('error', (e) => (spawnError = e));
    child.on('close', (status, signal) => resolve({ status, signal, object: Buffer.concat(object), stderr, ...(spawnError ? { error: spawnError } : {}) }));
  });
  for (const handle of [child, child.stdin, child.stdout, child.stderr]) (handle as { unref?(): void } | null)?.unref?.();
  holder[HANDLE] = { clang, args, child, outcome, exited };
  process.once('exit', killAtExit);
  return child.pid;
}

/**
 * The waiting clang's outcome for `source`, when one was started as `clang`
 * with `flags`; undefined otherwise (one started differently is killed).
 * `name` is the path clang's messages, the line table and BTF's line info
 * give the C (the DWARF unit itself is named `-`).
 */
export function compileWithEarlyClang(clang: string, flags: readonly string[], source: string, name: string): Promise<EarlyClangOutcome> | undefined {
  const early = holder[HANDLE];
  if (!early) return undefined;
  const args = argsFor(flags);
  const usable = early.clang === clang && early.args.length === args.length && early.args.every((a, i) => a === args[i])
    && early.child.exitCode === null && early.child.signalCode === null;
  if (!usable) {
    void discardEarlyClang();
    return undefined;
  }
  delete holder[HANDLE];
  process.removeListener('exit', killAtExit);
  const killUsed = () => early.child.kill('SIGKILL');
  process.once('exit', killUsed);
  void early.exited.then(() => process.removeListener('exit', killUsed));
  for (const handle of [early.child, early.child.stdin, early.child.stdout, early.child.stderr]) (handle as { ref?(): void } | null)?.ref?.();
  early.child.stdin!.end(`#line 1 "${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"\n${source}`);
  return early.outcome;
}
