// Command-line parsing: bpftrace's flags with GNU getopt_long's rules.
import test from 'ava';
import { parseArgs, UsageError, type CliOptions } from '../../cli/args.ts';

function usageError(t: import('ava').ExecutionContext, argv: string[]): UsageError {
  const e = t.throws(() => parseArgs(argv), { instanceOf: UsageError });
  return e as UsageError;
}

test('-e program, script arguments and named parameters after --', (t) => {
  const o = parseArgs(['-e', 'begin {}', '42', 'foo', '--', '--depth=5', '--verbose', 'bar', '--name=']);
  t.is(o.program, 'begin {}');
  t.is(o.scriptFile, undefined);
  t.deepEqual(o.positional, ['42', 'foo', 'bar']);
  t.deepEqual(o.namedParams, [{ name: 'depth', value: '5' }, { name: 'verbose' }, { name: 'name', value: '' }]);
});

test('a script file, - for stdin, and options after the script (getopt permutes)', (t) => {
  const a = parseArgs(['script.bt', '1', '-q', '2']);
  t.is(a.scriptFile, 'script.bt');
  t.true(a.quiet);
  t.deepEqual(a.positional, ['1', '2']);
  t.is(parseArgs(['-']).scriptFile, '-');
  const b = parseArgs(['--', 'script.bt', '--x=1']);
  t.is(b.scriptFile, 'script.bt');
  t.deepEqual(b.namedParams, [{ name: 'x', value: '1' }]);
});

test('--timings asks for the phase timings; off by default', (t) => {
  t.true(parseArgs(['--timings', '-e', 'begin {}']).timings);
  t.false(parseArgs(['-e', 'begin {}']).timings);
});

test('bundled short flags and attached values', (t) => {
  const o = parseArgs(['-qvk', '-dall', '-Iinc', '-fjson', "-ebegin { exit(); }", '-Bnone']);
  t.true(o.quiet && o.verbose && o.warnHelperErrors);
  t.deepEqual([...o.debug].sort(), ['ast', 'c', 'libbpf', 'manifest', 'types', 'verifier']);
  t.deepEqual(o.includeDirs, ['inc']);
  t.is(o.format, 'json');
  t.is(o.program, 'begin { exit(); }');
  t.is(o.bufferMode, 'none');
});

test('long options: =value, separate value, and unambiguous prefixes', (t) => {
  const o = parseArgs(['--output=out.txt', '--pid', '123', '--incl', 'x.h', '--dry', '--no-warn', '-e', 'x']);
  t.is(o.outputFile, 'out.txt');
  t.is(o.pid, 123);
  t.deepEqual(o.includes, ['x.h']);
  t.true(o.dryRun);
  t.true(o.noWarnings);
  const e = usageError(t, ['--in', '-e', 'x']);
  t.true(e.getopt);
  t.is(e.message, "option '--in' is ambiguous; possibilities: '--info' '--include'");
});

test('getopt-style errors show the usage', (t) => {
  const cases: [string[], string][] = [
    [['--bogus'], "unrecognized option '--bogus'"],
    [['-z'], "invalid option -- 'z'"],
    [['-e'], "option requires an argument -- 'e'"],
    [['--pid'], "option '--pid' requires an argument"],
    [['--quiet=1'], "option '--quiet' doesn't allow an argument"],
  ];
  for (const [argv, message] of cases) {
    const e = usageError(t, argv);
    t.is(e.message, message);
    t.true(e.getopt && e.showUsage);
  }
});

test("bpftrace's value errors", (t) => {
  const cases: [string[], string, boolean][] = [
    [['-B', 'half', '-e', 'x'], "USAGE: -B must be either 'line', 'full', or 'none'.", false],
    [['-d', 'bogus', '-e', 'x'], 'USAGE: invalid option for -d: bogus', false],
    [['-f', 'xml', '-e', 'x'], 'Invalid output format "xml"\nValid formats: \'text\', \'json\'', false],
    [['-p', '12a', '-e', 'x'], 'Failed to parse pid: invalid trailing bytes: 12a', false],
    [['-p', 'a1111', '-e', 'x'], 'Failed to parse pid: invalid integer: a1111', false],
    [['-p', 'not_a_pid', '-e', 'x'], 'Failed to parse pid: invalid integer: not_a_pid', false],
    [['-p', '0x400001', '-e', 'x'], 'Pid out of range: 4194305', false],
    [['-p', '99999999', '-e', 'x'], 'Pid out of range: 99999999', false],
    [['-k', '--no-warnings', '-e', 'x'], 'USAGE: -k, --warnings conflicts with --no-warnings', false],
    [['--no-warnings', '-k', '-e', 'x'], 'USAGE: -k, --warnings conflicts with --no-warnings', false],
    [['-kk', '-e', 'x'], 'USAGE: -kk has been deprecated. Use a single -k for runtime warnings for errors in map lookups and probe reads.', false],
    [['--no-feature', 'uprobe_multi,bogus', '-e', 'x'], "USAGE: --no-feature can only have values 'kprobe_multi,kprobe_session,uprobe_multi'.", false],
    [['-c', 'ls', '-p', '1', '-e', 'x'], 'USAGE: Cannot use both -c and -p.', true],
    [[], "USAGE: filename or -e 'program' required.", false],
    [['-q'], "USAGE: filename or -e 'program' required.", false],
    [['--mode', 'compiler-bench', '-e', 'x'], "USAGE: --mode compiler-bench is not supported by bpfscript (it times the stages of bpftrace's own compiler; see --timings)", false],
    [['--mode', 'tests', '-e', 'x'], "USAGE: --mode can only be 'codegen', 'compiler-bench', 'bench', 'test' or 'format'.", false],
    [['--fmt', '--mode', 'codegen', '-e', 'x'], 'USAGE: --mode conflicts with existing --mode', false],
    [['--mode', 'bench', '--test', '-e', 'x'], 'USAGE: --test conflicts with existing --mode', false],
    [['--test', '--bench', '-e', 'x'], 'USAGE: --bench conflicts with existing --mode', false],
    [['--fmt', '--test', '-e', 'x'], 'USAGE: --test conflicts with existing --mode', false],
  ];
  for (const [argv, message, showUsage] of cases) {
    const e = usageError(t, argv);
    t.is(e.message, message, argv.join(' '));
    t.is(e.showUsage, showUsage, argv.join(' '));
    t.false(e.getopt);
  }
});

test('-d takes comma lists and upstream stage names', (t) => {
  t.deepEqual([...parseArgs(['-d', 'ast,codegen', '-e', 'x']).debug], ['ast', 'c']);
  t.deepEqual([...parseArgs(['--debug=verifier', '-d', 'libbpf', '-e', 'x']).debug], ['verifier', 'libbpf']);
});

test('-l: a search, a file, -lv, and -l with -e', (t) => {
  const a = parseArgs(['-l', 'tracepoint:sched:*']);
  t.is(a.list, 'tracepoint:sched:*');
  t.false(a.verbose);
  const b = parseArgs(['-lv', 'tracepoint:syscalls:sys_enter_openat']);
  t.is(b.list, 'tracepoint:syscalls:sys_enter_openat');
  t.true(b.verbose);
  t.is(parseArgs(['-l']).list, '');
  t.is(parseArgs(['-l', '*']).list, '');
  const c = parseArgs(['-l', '-e', 'begin {}']);
  t.is(c.list, '');
  t.is(c.program, 'begin {}');
  t.is(usageError(t, ['-l', 'a', 'b']).message, 'USAGE: -l takes at most one search pattern or file');
});

test('-h, -V and --info need no script; -h keeps one to list its options', (t) => {
  t.true(parseArgs(['-h']).help);
  t.true(parseArgs(['--help']).help);
  t.true(parseArgs(['-V']).version);
  t.true(parseArgs(['--version']).version);
  t.true(parseArgs(['--info']).info);
  const h = parseArgs(['-h', 'script.bt']);
  t.is(h.scriptFile, 'script.bt');
});

test('modes and compatibility flags', (t) => {
  t.is(parseArgs(['--fmt', 'x.bt']).mode, 'format');
  t.is(parseArgs(['--mode', 'format', 'x.bt']).mode, 'format');
  t.is(parseArgs(['--mode=codegen', 'x.bt']).mode, 'codegen');
  // --test and --bench are upstream's short forms of --mode test / --mode bench.
  t.is(parseArgs(['--test', 'lib.bt']).mode, 'test');
  t.is(parseArgs(['--mode', 'test', 'lib.bt']).mode, 'test');
  t.is(parseArgs(['--mode', 'test', '--test', 'lib.bt']).mode, 'test');
  t.is(parseArgs(['--bench', '-e', 'bench:a {}']).mode, 'bench');
  t.is(parseArgs(['--mode=bench', 'lib.bt']).mode, 'bench');
  const o: CliOptions = parseArgs(['-b', '--btf', '--usdt-file-activation', '--debuginfo', '/d', '--verify-llvm-ir', '-e', 'x']);
  t.deepEqual(o.ignored, ['--btf', '--btf', '--usdt-file-activation', '--verify-llvm-ir']);
  // --debuginfo now has an effect: folders for separate debug files, repeatable, each a `:` list.
  t.deepEqual(o.debuginfoDirs, ['/d']);
  t.deepEqual(parseArgs(['--debuginfo=/a:b', '--debuginfo', 'c', '-e', 'x']).debuginfoDirs, ['/a', 'b', 'c']);
  t.is(parseArgs(['--emit-elf', 'o.elf', '-e', 'x']).emitElf, 'o.elf');
  t.deepEqual([...parseArgs(['--no-feature', 'kprobe_multi,uprobe_multi', '-e', 'x']).noFeatures], ['kprobe_multi', 'uprobe_multi']);
  t.true(parseArgs(['--unsafe', '-e', 'x']).unsafe);
});

test('-c, -p, -o, -B, -f', (t) => {
  const o = parseArgs(['-c', 'sleep 1', '-o', 'f', '-B', 'full', '-f', 'json', '-e', 'x']);
  t.is(o.command, 'sleep 1');
  t.is(o.outputFile, 'f');
  t.is(o.bufferMode, 'full');
  t.is(o.format, 'json');
  t.is(parseArgs(['-p', '7', '-e', 'x']).pid, 7);
});

test('--probe-filter and --traceable-functions are kept for the session; -p with -l too', (t) => {
  const o = parseArgs(['--probe-filter', 'interval:ms:(1|2)', '--traceable-functions', '/tmp/fns', '-e', 'x']);
  t.is(o.probeFilter, 'interval:ms:(1|2)');
  t.is(o.traceableFunctions, '/tmp/fns');
  const l = parseArgs(['-l', 'uprobe:*', '-p', '0x10']);
  t.is(l.list, 'uprobe:*');
  t.is(l.pid, 16);
});

test('--export: prometheus with a default loopback address, a port, a host and port (IPv6 in brackets); otlp with a URL', (t) => {
  const o = parseArgs([
    '--export', 'prometheus',
    '--export=prometheus=9100',
    '--export', 'prometheus=0.0.0.0:9464',
    '--export', 'prometheus=[::1]:9200',
    '--export', 'otlp=http://127.0.0.1:4318/v1/metrics',
    '-e', 'x',
  ]);
  t.deepEqual(o.exports, [
    { kind: 'prometheus', host: '127.0.0.1', port: 9464 },
    { kind: 'prometheus', host: '127.0.0.1', port: 9100 },
    { kind: 'prometheus', host: '0.0.0.0', port: 9464 },
    { kind: 'prometheus', host: '::1', port: 9200 },
    { kind: 'otlp', url: 'http://127.0.0.1:4318/v1/metrics' },
  ]);
  t.deepEqual(parseArgs(['-e', 'x']).exports, []);
});

test('--export refuses what it cannot use, with the forms it takes', (t) => {
  const forms = "USAGE: --export takes 'prometheus', 'prometheus=[HOST:]PORT' or 'otlp=URL'";
  const cases: [string, string][] = [
    ['graphite', forms],
    ['otlp', forms],
    ['prometheus=host:port', `${forms}: bad address 'host:port'`],
    ['prometheus=99999', `${forms}: bad address '99999'`],
    ['otlp=localhost:4318', `${forms}: bad URL 'localhost:4318'`],
    ['otlp=ftp://x/', `${forms}: bad URL 'ftp://x/'`],
  ];
  for (const [arg, message] of cases) {
    const e = usageError(t, ['--export', arg, '-e', 'x']);
    t.is(e.message, message);
    t.false(e.showUsage);
  }
});
