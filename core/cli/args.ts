// bpftrace's command line: the same flags, the same meanings.

export interface CliOptions {
  program?: string;
  scriptFile?: string;
  positional: string[];
  command?: string;
  pid?: number;
  quiet: boolean;
  dryRun: boolean;
  debug: Set<string>;
  help: boolean;
  version: boolean;
  list?: string;
  listVerbose: boolean;
  format: string;
  outputFile?: string;
  noWarnings: boolean;
  verbose: boolean;
  bufferMode?: 'none' | 'line' | 'full';
  includeDirs: string[];
  includes: string[];
  unsafe: boolean;
}

export class UsageError extends Error {}

export const usage = `USAGE:
    bpfscript [options] filename
    bpfscript [options] - <stdin input>
    bpfscript [options] -e 'program'

OPTIONS:
    -B MODE        output buffering mode ('full', 'none')
    -f FORMAT      output format ('text', 'json')
    -o file        redirect bpfscript output to file
    -e 'program'   execute this program
    -h, --help     show this help message
    -I DIR         add the directory to the include search path
    --include FILE add an #include file before preprocessing
    -l [search]    list kernel probes or probes in a program
    -lv            list probes with their arguments
    -p PID         enable USDT probes on PID, stop when it exits
    -c 'CMD'       run CMD and enable USDT probes on resulting process
    -q             keep messages quiet
    --unsafe       allow unsafe/destructive functionality
    -v             verbose messages
    -d STAGE       debug output: ast, c, manifest, all
    --dry-run      compile, load and attach, then exit without running
    --no-warnings  disable all warning messages
    -V, --version  bpfscript version

EXAMPLES:
bpfscript -l '*sleep*'
    list probes containing "sleep"
bpfscript -e 'tracepoint:syscalls:sys_enter_nanosleep { printf("PID %d sleeping...\\n", pid); }'
    trace processes calling sleep
bpfscript -c 'sleep 5' -e 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }'
    run "sleep 5" and count its system calls
`;

/** The output formats built in (plugins/output-text, plugins/output-json). */
export const outputFormats: readonly string[] = ['text', 'json'];

const debugStages = new Set(['ast', 'c', 'codegen', 'manifest', 'all']);

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    positional: [],
    quiet: false,
    dryRun: false,
    debug: new Set(),
    help: false,
    version: false,
    listVerbose: false,
    format: 'text',
    noWarnings: false,
    verbose: false,
    includeDirs: [],
    includes: [],
    unsafe: false,
  };
  const rest: string[] = [];
  let afterDashDash = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string => {
      if (i + 1 >= argv.length) throw new UsageError(`option requires an argument -- '${flag}'`);
      return argv[++i];
    };
    if (afterDashDash || a === '-' || !a.startsWith('-')) {
      rest.push(a);
      continue;
    }
    switch (a) {
      case '--':
        afterDashDash = true;
        break;
      case '-e':
        o.program = value('e');
        break;
      case '-c':
        o.command = value('c');
        break;
      case '-p': {
        const v = value('p');
        if (!/^\d+$/.test(v)) throw new UsageError(`pid '${v}' is not a valid decimal number`);
        o.pid = Number(v);
        break;
      }
      case '-q':
        o.quiet = true;
        break;
      case '-v':
        o.verbose = true;
        break;
      case '--dry-run':
        o.dryRun = true;
        break;
      case '-d': {
        const stage = value('d');
        if (!debugStages.has(stage)) throw new UsageError(`invalid debug stage: ${stage} (expected one of ${[...debugStages].join(', ')})`);
        o.debug.add(stage);
        break;
      }
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-V':
      case '--version':
        o.version = true;
        break;
      case '-l':
      case '-lv':
        o.list = '';
        o.listVerbose = a === '-lv';
        if (i + 1 < argv.length && !argv[i + 1].startsWith('-')) o.list = argv[++i];
        break;
      case '-f':
        o.format = value('f');
        if (!outputFormats.includes(o.format)) {
          throw new UsageError(`Invalid output format "${o.format}"\nValid formats: ${outputFormats.map((f) => `'${f}'`).join(', ')}`);
        }
        break;
      case '-o':
        o.outputFile = value('o');
        break;
      case '-B': {
        const m = value('B');
        if (m !== 'none' && m !== 'line' && m !== 'full') throw new UsageError(`Invalid buffering mode: ${m}`);
        o.bufferMode = m;
        break;
      }
      case '-I':
        o.includeDirs.push(value('I'));
        break;
      case '--include':
        o.includes.push(value('include'));
        break;
      case '--no-warnings':
        o.noWarnings = true;
        break;
      case '--unsafe':
        o.unsafe = true;
        break;
      default:
        if (a.startsWith('-I') && a.length > 2) {
          o.includeDirs.push(a.slice(2));
          break;
        }
        throw new UsageError(`unrecognized option '${a}'`);
    }
  }
  if (o.program === undefined && o.list === undefined && !o.help && !o.version) {
    const file = rest.shift();
    if (file === undefined) throw new UsageError('No program given');
    o.scriptFile = file;
  }
  o.positional = rest;
  return o;
}
