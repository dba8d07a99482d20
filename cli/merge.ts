// `bpfscript merge [--min @MAP]... [--max @MAP]... [-o FILE] RUN.json...`:
// the `-f json` output of several runs (an ad-hoc fleet run, one file per
// host) merged into one result, in the same format (docs/export.md).
// `merge` is a command only as the first argument: a script file named
// `merge` runs as `./merge`.
import { readFileSync, writeFileSync } from 'node:fs';
import { mergeJsonRuns, MergeError } from './plugins.ts';

export const mergeUsage = 'USAGE: bpfscript merge [--min @MAP]... [--max @MAP]... [-o FILE] RUN.json RUN.json...\n';

interface MergeArgs {
  files: string[];
  min: Set<string>;
  max: Set<string>;
  output?: string;
}

function parseMergeArgs(argv: readonly string[]): MergeArgs {
  const args: MergeArgs = { files: [], min: new Set(), max: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new MergeError(`${a} needs a value\n${mergeUsage}`);
      return v;
    };
    if (a === '--min') args.min.add(value());
    else if (a === '--max') args.max.add(value());
    else if (a === '-o' || a === '--output') args.output = value();
    else if (a.startsWith('-') && a !== '-') throw new MergeError(`unknown option ${a}\n${mergeUsage}`);
    else args.files.push(a);
  }
  if (args.files.length === 0) throw new MergeError(`no runs to merge\n${mergeUsage}`);
  return args;
}

function readRun(file: string): { name: string; text: string } {
  try {
    return { name: file, text: readFileSync(file === '-' ? 0 : file, 'utf8') };
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
    throw new MergeError(`failed to open file '${file}': ${reason}`);
  }
}

/** Runs the command; its exit code. */
export function mergeCommand(argv: readonly string[]): number {
  try {
    const args = parseMergeArgs(argv);
    const text = mergeJsonRuns(args.files.map(readRun), { min: args.min, max: args.max });
    if (args.output) writeFileSync(args.output, text);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    process.stderr.write(`ERROR: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}`);
    return 1;
  }
}
