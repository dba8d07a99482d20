// bpfscript's command line: bpftrace's flags and messages, never a stack trace.
import { readFileSync } from 'node:fs';
import { CompileError, formatDiagnostic } from '../diagnostics/index.ts';
import { BuildError } from '../build/index.ts';
import { BpfError } from '../../plugins/runtime-libbpf/index.ts';
import { createContainer } from '../container.ts';
import { compileScript, runCompiled, startChild, type ChildProcessHandle } from '../session/index.ts';
import { ProviderRegistry, splitAttachPoint } from '../probes/index.ts';
import { Services } from '../../sdk/index.ts';
import { BufferedWriter } from './writer.ts';
import { providerEnv } from '../session/compile.ts';
import { parseArgs, usage, UsageError, type CliOptions } from './args.ts';

export const version = 'v0.1.0';

async function list(o: CliOptions): Promise<number> {
  const container = await createContainer();
  const config = container.get(Services.Config);
  const env = providerEnv(container, config);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const pattern = o.list ?? '';
  const [word, ...rest] = splitAttachPoint(pattern);
  const provider = word ? registry.find(word) : undefined;
  const lines: string[] = [];
  if (provider) lines.push(...(provider.list?.(rest.join(':'), env) ?? []));
  else {
    const glob = pattern ? (pattern.includes('*') ? pattern : `*${pattern}*`) : '*';
    const re = new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    for (const p of registry.providers) for (const name of p.list?.('', env) ?? []) if (re.test(name)) lines.push(name);
  }
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let o: CliOptions;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ERROR: ${e.message}\n${usage}`);
      return 1;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (o.version) {
    process.stdout.write(`bpfscript ${version}\n`);
    return 0;
  }
  if (o.list !== undefined) return list(o);

  const file = o.program !== undefined || o.scriptFile === '-' ? 'stdin' : o.scriptFile!;
  let text: string;
  try {
    text = o.program ?? readFileSync(o.scriptFile === '-' ? 0 : o.scriptFile!, 'utf8');
  } catch (e) {
    process.stderr.write(`ERROR: failed to open file '${o.scriptFile}': ${(e as NodeJS.ErrnoException).code ?? e}\n`);
    return 1;
  }
  const sources = new Map([[file, text]]);
  let writer: BufferedWriter;
  try {
    writer = new BufferedWriter(o.bufferMode ?? 'full', o.outputFile);
  } catch (e) {
    process.stderr.write(`ERROR: failed to open output file '${o.outputFile}': ${(e as NodeJS.ErrnoException).code ?? e}\n`);
    return 1;
  }
  let child: ChildProcessHandle | undefined;
  try {
    const container = await createContainer();
    const compiled = compileScript(container, { text, file, positional: o.positional, hasChildProcess: o.command !== undefined, sources });
    if (!o.noWarnings) for (const d of compiled.warnings) process.stderr.write(formatDiagnostic(d, sources));
    const all = o.debug.has('all');
    if (all || o.debug.has('ast')) process.stderr.write(`${JSON.stringify(compiled.program, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    if (all || o.debug.has('c') || o.debug.has('codegen')) process.stderr.write(compiled.c);
    if (all || o.debug.has('manifest')) process.stderr.write(`${JSON.stringify(compiled.manifest, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    if (o.command !== undefined && !o.dryRun) child = startChild(o.command);
    const code = await runCompiled(container, compiled, { writer, quiet: o.quiet, dryRun: o.dryRun, child, targetPid: o.pid, format: o.format });
    return code;
  } catch (e) {
    writer.flush();
    if (e instanceof CompileError) {
      for (const d of e.diagnostics) process.stderr.write(formatDiagnostic(d, sources));
      return 1;
    }
    if (e instanceof BuildError) {
      process.stderr.write(`ERROR: ${e.message}\n${e.output}`);
      return 1;
    }
    if (e instanceof BpfError) {
      process.stderr.write(`ERROR: ${e.message}\n`);
      // -v shows libbpf's whole log (relocations, BTF, the full verifier output).
      if (o.verbose && e.log) process.stderr.write(`${e.log}\n`);
      return 1;
    }
    process.stderr.write(`ERROR: ${(e as Error)?.message ?? String(e)}\n`);
    if (process.env.BPFSCRIPT_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return 1;
  } finally {
    child?.terminate();
    writer.close();
  }
}
