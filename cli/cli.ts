// bpfscript's command line: bpftrace's flags and messages, never a stack trace.
import { existsSync, readFileSync, renameSync, writeFileSync, copyFileSync, unlinkSync, writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type { Performance as NodePerformance } from 'node:perf_hooks';
import { CompileError, formatDiagnostic, type Diagnostic } from '../core/diagnostics/index.ts';
import { RuntimeError, Services, sdkVersion, timings } from '../sdk/index.ts';
import { BuildError, discardEarlyClang, keepGeneratedSources } from '../core/build/index.ts';
import { createBpfscript, exportPlugins, flameGraphPlugins } from './plugins.ts';
import { commandProblem, compileGeneratedAsync, compileScript, docProblems, formatPackageContents, packageContents, runCompiled, startChild, type ChildProcessHandle } from '../core/session/index.ts';
import { parse } from '../core/syntax/index.ts';
import { NoProbesError } from '../core/probes/index.ts';
import { formatProgram } from '../core/format/index.ts';
import { BufferedWriter } from './writer.ts';
import { parseArgs, usage, UsageError, type CliOptions } from './args.ts';
import { infoReport } from './info.ts';
import { functionHelp, isFunctionTopic } from './help.ts';
import { filenameWarning, listProbes, listProgramProbes } from './list.ts';
import { printDebugStages } from './debug.ts';
import { formatScriptOptions, namedParamValues, scriptOptions, unknownParams } from './params.ts';
import { installPidFilter } from './pid-filter.ts';
import { mergeCommand } from './merge.ts';

export const version = `v${sdkVersion}`;

const err = (text: string) => process.stderr.write(text);

/**
 * A message written straight to fd 2, for `-l`: Node's stderr stream makes a
 * pipe non-blocking, which a shell's `exec 2>&1` shares with the next command
 * of a pipeline (`bpfscript -l -p PID | grep uprobe` then fails in grep's
 * writes with EAGAIN).
 */
function errDirect(text: string): void {
  try {
    writeSync(2, text);
  } catch {
    err(text);
  }
}

function usageError(e: UsageError): number {
  if (e.getopt) err(`bpfscript: ${e.message}\n${usage}`);
  else err(`ERROR: ${e.message}\n${e.showUsage ? usage : ''}`);
  return 1;
}

/** The script and the name diagnostics use for it (`stdin` for -e and -); it is added to `sources`. */
function readScript(o: CliOptions, sources: Map<string, string>): { file: string; text: string } | undefined {
  let script: { file: string; text: string } | undefined;
  if (o.program !== undefined) script = { file: 'stdin', text: o.program };
  else if (o.scriptFile !== undefined) {
    try {
      script = { file: o.scriptFile === '-' ? 'stdin' : o.scriptFile, text: readFileSync(o.scriptFile === '-' ? 0 : o.scriptFile, 'utf8') };
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
      throw new CliFailure(`failed to open file '${o.scriptFile}': ${reason}`);
    }
  }
  if (script) sources.set(script.file, script.text);
  return script;
}

/** An error message that ends the command (exit code 1). */
class CliFailure extends Error {}

function printDiagnostics(ds: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  for (const d of ds) err(formatDiagnostic(d, sources));
}

/** `-h`: usage, and with a script its named options; `--help NAME`: one function's reference. */
async function help(o: CliOptions, sources: Map<string, string>): Promise<number> {
  if (o.program === undefined && o.scriptFile !== undefined && isFunctionTopic(o.scriptFile)) {
    return functionHelp(o.scriptFile, (s) => process.stdout.write(s), err);
  }
  process.stdout.write(usage);
  const script = readScript(o, sources);
  if (script) process.stdout.write(`\n${formatScriptOptions(scriptOptions(parse(script.text, script.file)))}`);
  return 0;
}

/** `--fmt`: the script in canonical form on stdout, or in -o FILE (written whole, then renamed into place). */
function format(o: CliOptions, sources: Map<string, string>): number {
  const script = readScript(o, sources);
  if (!script) throw new UsageError("USAGE: filename or -e 'program' required.", false);
  const text = formatProgram(parse(script.text, script.file), script.text);
  if (!o.outputFile) {
    process.stdout.write(text);
    return 0;
  }
  const tmp = `${o.outputFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, o.outputFile);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw new CliFailure(`failed to write '${o.outputFile}': ${(e as Error).message}`);
  }
  return 0;
}

function clangFlags(o: CliOptions): string[] {
  return [...o.includeDirs.flatMap((d) => ['-I', d]), ...o.includes.flatMap((f) => ['-include', f])];
}

/** --timings: Node's own start-up and the bundle's loading are the first phases. */
function startTimings(loadedAt: bigint): void {
  timings.enable();
  // The global `performance` is perf_hooks' (loaded on first use), typed as the web's.
  const nodeReady = (performance as unknown as NodePerformance).nodeTiming.bootstrapComplete;
  const loadedMs = performance.now() - Number(process.hrtime.bigint() - loadedAt) / 1e6;
  timings.add('node start', nodeReady);
  timings.add('module load', loadedMs - nodeReady);
}

/** `loadedAt`: when the bundle had loaded (`process.hrtime.bigint()`). */
export async function main(argv: string[], loadedAt = process.hrtime.bigint()): Promise<number> {
  try {
    return await command(argv, loadedAt);
  } finally {
    // A clang started early (its code or parse cache missed) that no compile took.
    await discardEarlyClang();
  }
}

async function command(argv: string[], loadedAt: bigint): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1));
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageError(e);
    throw e;
  }
  if (o.timings) startTimings(loadedAt);
  try {
    return await dispatch(o);
  } finally {
    if (o.timings) err(timings.report());
  }
}

async function dispatch(o: CliOptions): Promise<number> {
  const sources = new Map<string, string>();
  try {
    if (o.version) {
      process.stdout.write(`bpfscript ${version}\n`);
      return 0;
    }
    if (o.help) return await help(o, sources);
    if (o.info) {
      const runtime = (await createBpfscript()).get(Services.Runtime);
      process.stdout.write(infoReport(version, runtime.features(o.noFeatures), runtime));
      return 0;
    }
    if (o.mode === 'format') return format(o, sources);
    if (o.list !== undefined) return await list(o, sources);
    const script = readScript(o, sources)!;
    if (o.namedParams.some((p) => p.name === 'help')) {
      // As upstream: `-- --help` (unless the script has a `help` option) lists the options in a HINT instead of
      // running, so the run did not happen (exit 1); `-h` is 0.
      const listing = unknownParams(o.namedParams, parse(script.text, script.file));
      if (listing.length) {
        printDiagnostics(listing, sources);
        return 1;
      }
    }
    return await run(o, script, sources);
  } catch (e) {
    return reportError(e, o, sources);
  }
}

/** What the command line says about which probes to attach and where. */
function probeSettings(o: CliOptions): { targetPid?: number; traceableFunctions?: string; probeFilter?: string; debuginfoDirs?: readonly string[]; noFeatures?: readonly string[] } {
  return {
    ...(o.noFeatures.size ? { noFeatures: [...o.noFeatures] } : {}),
    ...(o.debuginfoDirs !== undefined ? { debuginfoDirs: o.debuginfoDirs } : {}),
    ...(o.pid !== undefined ? { targetPid: o.pid } : {}),
    ...(o.traceableFunctions !== undefined ? { traceableFunctions: o.traceableFunctions } : {}),
    ...(o.probeFilter !== undefined ? { probeFilter: o.probeFilter } : {}),
  };
}

/** `-l`: a program's probes (-e, or an existing file), else the probes or types a search names. */
async function list(o: CliOptions, sources: Map<string, string>): Promise<number> {
  if (o.pid !== undefined) checkPid(o.pid);
  // `bpfscript -l | head`: a reader that stops early ends the listing quietly, as SIGPIPE ends bpftrace's.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  const container = await createBpfscript({ config: { unsafe: o.unsafe, ...probeSettings(o) } });
  if (o.list?.startsWith('package:')) {
    const contents = await packageContents(container, o.list.slice('package:'.length), { cwd: process.cwd(), sources });
    process.stdout.write(formatPackageContents(contents, o.verbose).map((l) => `${l}\n`).join(''));
    if (!o.noWarnings) for (const p of docProblems(contents)) err(`WARNING: ${contents.name}: ${p}\n`);
    return 0;
  }
  let script = o.program !== undefined ? { file: 'stdin', text: o.program } : undefined;
  if (!script && o.list && existsSync(o.list)) script = { file: o.list, text: readFileSync(o.list, 'utf8') };
  if (script) {
    sources.set(script.file, script.text);
    process.stdout.write((await listProgramProbes(container, script.text, script.file, o.verbose, sources)).map((l) => `${l}\n`).join(''));
    return 0;
  }
  const warning = filenameWarning(o.list ?? '');
  if (warning && !o.noWarnings) errDirect(`WARNING: ${warning}\n`);
  const errors = listProbes(
    container,
    o.list ?? '',
    o.verbose,
    (lines) => {
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
    },
    (message) => {
      if (!o.noWarnings) errDirect(`WARNING: ${message}\n`);
    },
  );
  for (const e of errors) errDirect(`ERROR: ${e}\n`);
  return errors.length ? 1 : 0;
}

/** -p names a running process (as bpftrace checks before anything else). */
function checkPid(pid: number): void {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') throw new CliFailure(`Failed to attach to pid: no process with pid ${pid}`);
  }
}

function reportError(e: unknown, o: CliOptions, sources: ReadonlyMap<string, string>): number {
  if (e instanceof UsageError) return usageError(e);
  if (e instanceof NoProbesError) {
    if (!o.noWarnings) printDiagnostics(e.warnings, sources);
    if (!o.quiet) process.stdout.write(`${e.message}\n`);
    return 1;
  }
  if (e instanceof CompileError) {
    printDiagnostics(e.diagnostics, sources);
    return 1;
  }
  if (e instanceof CliFailure) {
    err(`ERROR: ${e.message}\n`);
    return 1;
  }
  if (e instanceof BuildError) {
    err(`ERROR: ${e.message}\n${e.output}`);
    return 1;
  }
  if (e instanceof RuntimeError) {
    err(`ERROR: ${e.message}\n`);
    // -v shows the runtime's whole log (libbpf's: relocations, BTF, the full verifier output).
    if (o.verbose && e.log) err(`${e.log}\n`);
    return 1;
  }
  err(`ERROR: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.BPFSCRIPT_DEBUG) err(`${(e as Error)?.stack}\n`);
  return 1;
}

async function run(o: CliOptions, script: { file: string; text: string }, sources: Map<string, string>): Promise<number> {
  if (o.pid !== undefined) checkPid(o.pid);
  // As upstream: a command that cannot run fails before anything is compiled or attached.
  const problem = o.command === undefined ? undefined : commandProblem(o.command);
  if (problem) throw new CliFailure(`Failed to fork child: ${problem}`);
  keepGeneratedSources(o.verbose || o.debug.size > 0);
  const container = await timings.measureAsync('plugins', async () => createBpfscript({
    config: { namedParams: namedParamValues(o.namedParams), unsafe: o.unsafe, warnHelperErrors: o.warnHelperErrors, ...probeSettings(o) },
    optional: [...(await exportPlugins(o.exports, { quiet: o.quiet })), ...flameGraphPlugins(o.flameGraph)],
  }));
  if (o.pid !== undefined) installPidFilter(container, o.pid);
  const compiled = await timings.measureAsync('compile', () => compileScript(container, { text: script.text, file: script.file, positional: o.positional, hasChildProcess: o.command !== undefined, sources, clangFlags: clangFlags(o) }));
  if (!o.noWarnings) printDiagnostics(compiled.warnings, sources);
  const unknown = unknownParams(o.namedParams, compiled.program);
  if (unknown.length) {
    printDiagnostics(unknown, sources);
    return 1;
  }
  printDebugStages(o.debug, compiled, err);

  if (o.mode === 'codegen' || (o.emitElf && !o.dryRun)) {
    // Compile all the way to the BPF object, load nothing.
    const build = await compileGeneratedAsync(compiled);
    if (o.emitElf) copyFileSync(build.objectPath, o.emitElf);
    return 0;
  }

  let writer: BufferedWriter;
  try {
    writer = new BufferedWriter(o.bufferMode ?? 'line', o.outputFile);
  } catch (e) {
    throw new CliFailure(`Failed to open output file: "${o.outputFile}": ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  let child: ChildProcessHandle | undefined;
  const signals = new SessionSignals(() => {
    writer.close();
    child?.terminate();
  });
  try {
    if (o.command !== undefined && !o.dryRun) child = startChild(o.command);
    signals.running = true;
    return await runCompiled(container, compiled, {
      writer,
      quiet: o.quiet,
      dryRun: o.dryRun,
      child,
      targetPid: o.pid,
      format: o.format,
      sources,
      noWarnings: o.noWarnings,
      stop: signals.stop,
      verbose: o.verbose,
      debugLogs: { libbpf: o.debug.has('libbpf'), verifier: o.debug.has('verifier') },
      emitElf: o.emitElf,
      mode: o.mode === 'test' || o.mode === 'bench' ? o.mode : 'run',
      onAttached: process.env.__BPFTRACE_NOTIFY_PROBES_ATTACHED ? () => notifyAttached(writer) : undefined,
    });
  } finally {
    signals.dispose();
    child?.terminate();
    writer.close();
  }
}

/**
 * Upstream's test protocol (its runtime test runner sets
 * __BPFTRACE_NOTIFY_PROBES_ATTACHED): a line on stdout, after the output so
 * far and whatever -o and -q say, once the probes are attached, so a harness
 * knows when to start the workload even where `Attached N probes` is not shown.
 */
function notifyAttached(writer: BufferedWriter): void {
  writer.flush();
  writeSync(1, '__BPFTRACE_NOTIFY_PROBES_ATTACHED\n');
}

/**
 * SIGINT/SIGTERM for the whole session. While the program runs, the first
 * signal ends it the normal way (end probes, maps printed, output written);
 * before that (compiling) a signal ends the process at once, and a third
 * signal during the ending does too. Output written so far is flushed first.
 */
class SessionSignals {
  running = false;
  private readonly controller = new AbortController();
  private count = 0;
  private readonly handler = (signal: NodeJS.Signals) => {
    this.count++;
    if (this.running && this.count === 1) {
      this.controller.abort();
      return;
    }
    if (this.running && this.count === 2) return;
    this.dispose();
    this.beforeExit();
    process.kill(process.pid, signal);
    process.exitCode = 128 + (osConstants.signals[signal] ?? 0);
  };

  constructor(private readonly beforeExit: () => void) {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  get stop(): AbortSignal {
    return this.controller.signal;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}
