// bpftrace's command line: the same flags, the same meanings, parsed the way
// GNU getopt_long parses them (bundled short flags `-qv`, attached values
// `-dall` `-e'prog'`, `--long=value`, unambiguous long prefixes, options after
// the script, `--` ending the options; what follows `--` and starts with `--`
// is a named program parameter).
import { toUint } from '../lib/numbers/index.ts';

export type BufferMode = 'none' | 'line' | 'full';

/** `--export`: where the maps go while the script runs (plugins/export). */
export type ExportSpec = { kind: 'prometheus'; host: string; port: number } | { kind: 'otlp'; url: string };

/** Where `--export prometheus` listens without an address (OpenTelemetry's Prometheus exporter port, loopback only). */
export const DEFAULT_PROMETHEUS_ADDRESS = { host: '127.0.0.1', port: 9464 };

/** What the command line asks for besides running a script (`test`/`bench`: run its test: or bench: probes). */
export type CliMode = 'run' | 'codegen' | 'format' | 'test' | 'bench';

export interface CliOptions {
  /** The script given with -e. */
  program?: string;
  /** The script file (`-` is stdin); for -l, a file whose probes to list. */
  scriptFile?: string;
  /** $1, $2, ... */
  positional: string[];
  /** `--name=value` and `--flag` after `--`, in order (a bare flag has value undefined). */
  namedParams: { name: string; value?: string }[];
  command?: string;
  pid?: number;
  quiet: boolean;
  dryRun: boolean;
  /** Debug stages to print (-d), expanded: `all` gives every stage. */
  debug: Set<DebugStage>;
  help: boolean;
  version: boolean;
  info: boolean;
  /** Set for -l: the search pattern ('' for everything). */
  list?: string;
  verbose: boolean;
  format: string;
  outputFile?: string;
  noWarnings: boolean;
  /** -k: report failed helper calls at run time. */
  warnHelperErrors: boolean;
  bufferMode?: BufferMode;
  includeDirs: string[];
  includes: string[];
  /** `--debuginfo DIR[:DIR]` (repeatable): folders searched for binaries' separate debug files. */
  debuginfoDirs: string[];
  unsafe: boolean;
  /** --no-feature: detected kernel features not to use. */
  noFeatures: Set<NoFeature>;
  mode: CliMode;
  /** --emit-elf FILE: write the compiled BPF object there (and do not run). */
  emitElf?: string;
  /** --probe-filter REGEX: attach only the probes whose name it finds. */
  probeFilter?: string;
  /** --traceable-functions FILE: the kernel functions kprobes may attach to. */
  traceableFunctions?: string;
  /** --flamegraph FILE: an SVG flame graph of the maps keyed by stacks, rewritten on each print() of one and at the end. */
  flameGraph?: string;
  /** --export prometheus[=ADDR] / otlp=URL, in order. */
  exports: ExportSpec[];
  /** --timings: print how long each phase of the run took, on stderr at the end. */
  timings: boolean;
  /** Accepted for compatibility, with no effect here (--usdt-file-activation, -b, ...). */
  ignored: string[];
}

export class UsageError extends Error {
  /**
   * `showUsage`: the usage text follows the message; `getopt`: a parse error
   * worded as GNU getopt words it (`bpfscript: unrecognized option '--x'`).
   */
  constructor(message: string, readonly showUsage = true, readonly getopt = false) {
    super(message);
  }
}

const getoptError = (message: string) => new UsageError(message, true, true);

export const debugStages = ['ast', 'types', 'c', 'manifest', 'libbpf', 'verifier'] as const;
export type DebugStage = (typeof debugStages)[number];
/** Upstream's stage names that mean one of ours. */
const debugAliases: Record<string, DebugStage> = { codegen: 'c', 'codegen-opt': 'c' };

export const noFeatureNames = ['kprobe_multi', 'kprobe_session', 'uprobe_multi'] as const;
export type NoFeature = (typeof noFeatureNames)[number];

/** The output formats built in (plugins/output-text, plugins/output-json), as bpftrace's message lists them. */
export const outputFormats: readonly string[] = ['text', 'json'];
/** Formats bpftrace does not have (plugins/output/folded): accepted, not listed in bpftrace's message. */
export const extraOutputFormats: readonly string[] = ['folded'];

export const usage = `USAGE:
    bpfscript [options] filename
    bpfscript [options] - <stdin input>
    bpfscript [options] -e 'program'
    use -- after filename/-e 'program' for named script parameters

OPTIONS:
    -e 'program'   execute this program
    -l, --list [search|filename]
                   list kernel probes or probes in a program
    -v, --verbose  enable verbose messages; with -l, also show probe arguments
    -h, --help     show this help message (with a script: also its parameters)
    -h, --help NAME
                   show the reference of function NAME (builtin or stdlib)
    -V, --version  bpfscript version
    --info         print information about kernel BPF support

    -p, --pid PID  filter actions to PID, stop when it exits
    -c, --cmd CMD  run CMD (its pid is cpid), stop when it exits

    -o, --output FILE
                   redirect bpfscript output to FILE
    -f FORMAT      output format ('text', 'json', 'folded')
    --flamegraph FILE
                   write an SVG flame graph of the maps keyed by stacks
    --export prometheus[=[HOST:]PORT]
                   serve the maps as Prometheus metrics on /metrics
                   (default 127.0.0.1:9464)
    --export otlp=URL
                   push the maps as OpenTelemetry metrics over OTLP/HTTP
    -B MODE        output buffering mode ('line', 'full', 'none')
    -q, --quiet    keep messages quiet
    -k, --warnings emit a warning when probe read helpers return an error
    --no-warnings  disable all warning messages

    -I DIR         add the directory to the include search path
    --include FILE add an #include file before preprocessing
    --debuginfo DIR[:DIR]
                   add directories to the debug info search path

    --unsafe       allow unsafe/destructive functionality
    --probe-filter REGEX
                   only attach probes whose name matches REGEX
    --traceable-functions FILE
                   load the list of traceable kernel functions from FILE
    --no-feature FEATURE[,FEATURE]
                   disable use of detected features

DEVELOPER OPTIONS:
    --mode MODE    'codegen' (compile only), 'test', 'bench' or 'format'
    --test         run all test: probes (same as --mode test)
    --bench        run all bench: probes (same as --mode bench)
    --fmt          format the input script and print it

TROUBLESHOOTING OPTIONS:
    --dry-run      terminate execution right after attaching all the probes
    -d, --debug STAGE[,STAGE]
                   debug info for various stages of bpfscript execution
                   ('all', 'ast', 'types', 'c', 'manifest', 'libbpf', 'verifier')
    --emit-elf FILE
                   (dry run) generate ELF file with bpf programs and write to FILE
    --timings      print how long each phase of start-up, run and exit took

EXAMPLES:
    bpfscript -e 'tracepoint:syscalls:sys_enter_nanosleep { printf("PID %d sleeping...\\n", pid); }'
        trace processes calling sleep
    bpfscript -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }'
        count syscalls by process name
    bpfscript -e 'tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args.filename)); }'
        trace file opens with process name and path
    bpfscript -c 'sleep 5' -e 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }'
        run "sleep 5" and count its system calls
    bpfscript -l '*sleep*'
        list probes containing "sleep"
    bpfscript -lv 'tracepoint:syscalls:sys_enter_openat'
        show the arguments of the sys_enter_openat tracepoint
`;

type ArgKind = 'none' | 'required';

interface OptionSpec {
  long?: string;
  short?: string;
  arg: ArgKind;
  apply(o: CliOptions, value: string | undefined, state: ParseState): void;
}

interface ParseState {
  warningLevel: 0 | 1 | 2;
  listing: boolean;
}

function parsePid(v: string): number {
  const pid = toUint(v);
  if (!pid.ok) throw new UsageError(`Failed to parse pid: ${pid.error}`, false);
  // The nominal maximum pid on 64-bit systems (pid_max may be lower).
  if (pid.value > 0x400000n) throw new UsageError(`Pid out of range: ${pid.value}`, false);
  return Number(pid.value);
}

const exportUsage = "USAGE: --export takes 'prometheus', 'prometheus=[HOST:]PORT' or 'otlp=URL'";

/** `prometheus`, `prometheus=PORT`, `prometheus=HOST:PORT` (`[v6]:PORT`), `otlp=http://...`. */
export function parseExport(arg: string): ExportSpec {
  const eq = arg.indexOf('=');
  const kind = eq < 0 ? arg : arg.slice(0, eq);
  const value = eq < 0 ? undefined : arg.slice(eq + 1);
  if (kind === 'prometheus') {
    if (value === undefined) return { kind, ...DEFAULT_PROMETHEUS_ADDRESS };
    const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]+):)?(\d{1,5})$/.exec(value);
    const port = Number(m?.[2]);
    if (!m || port > 65535) throw new UsageError(`${exportUsage}: bad address '${value}'`, false);
    return { kind, host: m[1]?.replace(/^\[(.*)\]$/, '$1') ?? DEFAULT_PROMETHEUS_ADDRESS.host, port };
  }
  if (kind === 'otlp' && value !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(`${exportUsage}: bad URL '${value}'`, false);
    return { kind, url: value };
  }
  throw new UsageError(exportUsage, false);
}

function parseDebugStages(o: CliOptions, arg: string): void {
  for (const stage of arg.split(',').filter(Boolean)) {
    if (stage === 'all') for (const s of debugStages) o.debug.add(s);
    else if ((debugStages as readonly string[]).includes(stage)) o.debug.add(stage as DebugStage);
    else if (debugAliases[stage]) o.debug.add(debugAliases[stage]);
    else throw new UsageError(`USAGE: invalid option for -d: ${stage}`, false);
  }
}

const ignore = (name: string) => (o: CliOptions) => {
  o.ignored.push(name);
};

const specs: OptionSpec[] = [
  { short: 'e', arg: 'required', apply: (o, v) => (o.program = v) },
  { short: 'l', long: 'list', arg: 'none', apply: (_o, _v, s) => (s.listing = true) },
  { short: 'v', long: 'verbose', arg: 'none', apply: (o) => (o.verbose = true) },
  { short: 'h', long: 'help', arg: 'none', apply: (o) => (o.help = true) },
  { short: 'V', long: 'version', arg: 'none', apply: (o) => (o.version = true) },
  { long: 'info', arg: 'none', apply: (o) => (o.info = true) },
  { short: 'p', long: 'pid', arg: 'required', apply: (o, v) => (o.pid = parsePid(v!)) },
  { short: 'c', long: 'cmd', arg: 'required', apply: (o, v) => (o.command = v) },
  { short: 'o', long: 'output', arg: 'required', apply: (o, v) => (o.outputFile = v) },
  {
    short: 'f',
    arg: 'required',
    apply: (o, v) => {
      if (!outputFormats.includes(v!) && !extraOutputFormats.includes(v!)) {
        throw new UsageError(`Invalid output format "${v}"\nValid formats: ${outputFormats.map((f) => `'${f}'`).join(', ')}`, false);
      }
      o.format = v!;
    },
  },
  { long: 'flamegraph', arg: 'required', apply: (o, v) => (o.flameGraph = v) },
  { long: 'export', arg: 'required', apply: (o, v) => o.exports.push(parseExport(v!)) },
  {
    short: 'B',
    arg: 'required',
    apply: (o, v) => {
      if (v !== 'none' && v !== 'line' && v !== 'full') throw new UsageError("USAGE: -B must be either 'line', 'full', or 'none'.", false);
      o.bufferMode = v;
    },
  },
  { short: 'q', long: 'quiet', arg: 'none', apply: (o) => (o.quiet = true) },
  {
    short: 'k',
    long: 'warnings',
    arg: 'none',
    apply: (o, _v, s) => {
      if (s.warningLevel === 2) {
        throw new UsageError('USAGE: -kk has been deprecated. Use a single -k for runtime warnings for errors in map lookups and probe reads.', false);
      }
      if (s.warningLevel === 0) throw new UsageError('USAGE: -k, --warnings conflicts with --no-warnings', false);
      s.warningLevel = 2;
      o.warnHelperErrors = true;
    },
  },
  {
    long: 'no-warnings',
    arg: 'none',
    apply: (o, _v, s) => {
      if (s.warningLevel === 2) throw new UsageError('USAGE: -k, --warnings conflicts with --no-warnings', false);
      s.warningLevel = 0;
      o.noWarnings = true;
    },
  },
  { short: 'I', arg: 'required', apply: (o, v) => o.includeDirs.push(v!) },
  { long: 'include', arg: 'required', apply: (o, v) => o.includes.push(v!) },
  { long: 'unsafe', arg: 'none', apply: (o) => (o.unsafe = true) },
  {
    long: 'no-feature',
    arg: 'required',
    apply: (o, v) => {
      for (const f of v!.split(',').filter(Boolean)) {
        if (!(noFeatureNames as readonly string[]).includes(f)) {
          throw new UsageError(`USAGE: --no-feature can only have values '${noFeatureNames.join(',')}'.`, false);
        }
        o.noFeatures.add(f as NoFeature);
      }
    },
  },
  { long: 'dry-run', arg: 'none', apply: (o) => (o.dryRun = true) },
  { short: 'd', long: 'debug', arg: 'required', apply: (o, v) => parseDebugStages(o, v!) },
  {
    long: 'mode',
    arg: 'required',
    apply: (o, v) => {
      if (v === 'codegen' || v === 'format' || v === 'test' || v === 'bench') setMode(o, v, '--mode');
      else if (v === 'compiler-bench') {
        throw new UsageError('USAGE: --mode compiler-bench is not supported by bpfscript (it times the stages of bpftrace\'s own compiler; see --timings)', false);
      } else throw new UsageError("USAGE: --mode can only be 'codegen', 'compiler-bench', 'bench', 'test' or 'format'.", false);
    },
  },
  { long: 'fmt', arg: 'none', apply: (o) => setMode(o, 'format', '--fmt') },
  { long: 'test', arg: 'none', apply: (o) => setMode(o, 'test', '--test') },
  { long: 'bench', arg: 'none', apply: (o) => setMode(o, 'bench', '--bench') },
  { long: 'probe-filter', arg: 'required', apply: (o, v) => (o.probeFilter = v) },
  { long: 'emit-elf', arg: 'required', apply: (o, v) => (o.emitElf = v) },
  { long: 'timings', arg: 'none', apply: (o) => (o.timings = true) },
  { long: 'emit-llvm', arg: 'required', apply: () => unsupported('--emit-llvm', 'it compiles through C, not LLVM IR; see -d c') },
  { long: 'aot', arg: 'required', apply: () => unsupported('--aot', 'ahead-of-time builds are not implemented') },
  // Accepted so scripts written for bpftrace keep working; they change nothing here.
  { long: 'verify-llvm-ir', arg: 'none', apply: ignore('--verify-llvm-ir') },
  { short: 'b', long: 'btf', arg: 'none', apply: ignore('--btf') },
  { long: 'usdt-file-activation', arg: 'none', apply: ignore('--usdt-file-activation') },
  { long: 'debuginfo', arg: 'required', apply: (o, v) => o.debuginfoDirs.push(...v!.split(':')) },
  { long: 'dwarf-pid', arg: 'required', apply: ignore('--dwarf-pid') },
  { long: 'traceable-functions', arg: 'required', apply: (o, v) => (o.traceableFunctions = v) },
];

function setMode(o: CliOptions, mode: CliMode, flag: string): void {
  if (o.mode !== 'run' && o.mode !== mode) throw new UsageError(`USAGE: ${flag} conflicts with existing --mode`, false);
  o.mode = mode;
}

function unsupported(flag: string, why: string): never {
  throw new UsageError(`USAGE: ${flag} is not supported by bpfscript: ${why}`, false);
}

const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
const longNames = specs.filter((s) => s.long).map((s) => s.long!);

function findLong(name: string): OptionSpec {
  const exact = specs.find((s) => s.long === name);
  if (exact) return exact;
  // getopt_long accepts any unambiguous prefix.
  const matches = longNames.filter((l) => l.startsWith(name));
  if (matches.length === 1) return specs.find((s) => s.long === matches[0])!;
  if (matches.length > 1) {
    throw getoptError(`option '--${name}' is ambiguous; possibilities: ${matches.map((m) => `'--${m}'`).join(' ')}`);
  }
  throw getoptError(`unrecognized option '--${name}'`);
}

export function defaultOptions(): CliOptions {
  return {
    positional: [],
    namedParams: [],
    quiet: false,
    dryRun: false,
    debug: new Set(),
    help: false,
    version: false,
    info: false,
    verbose: false,
    format: 'text',
    noWarnings: false,
    warnHelperErrors: false,
    includeDirs: [],
    includes: [],
    debuginfoDirs: [],
    unsafe: false,
    noFeatures: new Set(),
    mode: 'run',
    exports: [],
    timings: false,
    ignored: [],
  };
}

/** Parses argv (without the program name). Throws UsageError for what bpftrace refuses. */
export function parseArgs(argv: string[]): CliOptions {
  const o = defaultOptions();
  const state: ParseState = { warningLevel: 1, listing: false };
  const operands: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      operands.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const spec = findLong(name);
      let value: string | undefined;
      if (spec.arg === 'none') {
        if (eq >= 0) throw getoptError(`option '--${spec.long}' doesn't allow an argument`);
      } else if (eq >= 0) value = a.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw getoptError(`option '--${spec.long}' requires an argument`);
      spec.apply(o, value, state);
      continue;
    }
    // A cluster of short options: `-qv`, `-lv`, `-dall`, `-e'prog'`.
    for (let k = 1; k < a.length; k++) {
      const c = a[k]!;
      const spec = byShort.get(c);
      if (!spec) throw getoptError(`invalid option -- '${c}'`);
      if (spec.arg === 'none') {
        spec.apply(o, undefined, state);
        continue;
      }
      let value: string;
      if (k + 1 < a.length) value = a.slice(k + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw getoptError(`option requires an argument -- '${c}'`);
      spec.apply(o, value, state);
      break;
    }
  }
  const afterDashDash = argv.slice(i);

  if (o.command !== undefined && o.pid !== undefined) throw new UsageError('USAGE: Cannot use both -c and -p.');
  if (o.help || o.version || o.info) {
    // Help may name a script (its parameters are listed); nothing else is needed.
    if (o.program === undefined && operands.length > 0) o.scriptFile = operands[0];
    return o;
  }

  if (state.listing) {
    // Zero or one operand: a search pattern, or a program file (decided by the CLI: a file that exists).
    const rest = [...operands, ...afterDashDash];
    if (rest.length > 1) throw new UsageError('USAGE: -l takes at most one search pattern or file');
    o.list = rest[0] === '*' ? '' : (rest[0] ?? '');
    return o;
  }

  if (o.program === undefined) {
    const file = operands.shift() ?? afterDashDash.shift();
    if (file === undefined) throw new UsageError("USAGE: filename or -e 'program' required.", false);
    o.scriptFile = file;
  }
  o.positional = operands;
  for (const a of afterDashDash) {
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      o.namedParams.push(eq < 0 ? { name: a.slice(2) } : { name: a.slice(2, eq), value: a.slice(eq + 1) });
    } else o.positional.push(a);
  }
  return o;
}
