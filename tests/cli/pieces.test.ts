// The CLI's parts that need no kernel: named options, -lv lines, the --info
// report, the output writer's buffering modes.
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../core/syntax/index.ts';
import { formatScriptOptions, namedParamValues, scriptOptions, unknownParams } from '../../cli/params.ts';
import { tracepointProvider } from '../../providers/tracepoint/index.ts';
import { infoReport } from '../../cli/info.ts';
import { BufferedWriter, FULL_BUFFER_BYTES } from '../../cli/writer.ts';
import type { KernelFeatures, Tracefs } from '../../sdk/index.ts';

const script = `
macro depth() { getopt("depth", 35) }
begin {
  if (getopt("verbose")) { printf("%s %d\\n", getopt("name", "x", "who to greet"), depth); }
  print(getopt("neg", -3));
  print(getopt("flag", true));
}`;

test('scriptOptions finds every getopt() with its type and default, macros included', (t) => {
  const opts = scriptOptions(parse(script, 'stdin'));
  t.deepEqual(opts, [
    { name: 'depth', kind: 'int', default: 35n },
    { name: 'verbose', kind: 'bool', default: false },
    { name: 'name', kind: 'string', default: 'x', description: 'who to greet' },
    { name: 'neg', kind: 'int', default: -3n },
    { name: 'flag', kind: 'bool', default: true },
  ]);
});

test('-h lists the options, aligned', (t) => {
  t.is(
    formatScriptOptions(scriptOptions(parse(script, 'stdin'))),
    `PROGRAM OPTIONS:
    --depth=INT    (default: 35)
    --verbose      (default: false)
    --name=STRING  who to greet (default: "x")
    --neg=INT      (default: -3)
    --flag         (default: true)
`,
  );
  t.is(formatScriptOptions([]), 'PROGRAM OPTIONS:\n    (this program takes no named options)\n');
});

test('named parameter values: bare flags are true, a later value wins', (t) => {
  t.deepEqual(namedParamValues([{ name: 'a', value: '1' }, { name: 'b' }, { name: 'a', value: '2' }]), { a: '2', b: true });
});

test('unknown named parameters are one error with a hint, in upstream words; --help only asks', (t) => {
  const program = parse(script, 'stdin');
  t.deepEqual(unknownParams([{ name: 'depth' }, { name: 'dpth' }, { name: 'vrbose' }], program), [
    { severity: 'ERROR', message: 'unexpected program command line options: --dpth, --vrbose' },
    { severity: 'HINT', message: 'expected program options: --depth, --verbose, --name, --neg, --flag' },
  ]);
  t.deepEqual(unknownParams([{ name: 'depth' }], program), []);
  t.deepEqual(unknownParams([{ name: 'x' }], parse('begin {}', 'stdin'))[1], { severity: 'HINT', message: 'no custom program options defined.' });
  t.deepEqual(unknownParams([{ name: 'help' }], program), [
    { severity: 'HINT', message: 'expected program options:\n--depth\n--verbose\n--name: who to greet\n--neg\n--flag' },
  ]);
});

test('-lv argument lines: arrays after the name, __data_loc as bpftrace shows it, no common fields', (t) => {
  const tracefs = {
    format: () => ({
      category: 'c',
      event: 'e',
      id: 1,
      fields: [
        { name: 'common_pid', cType: 'int', offset: 4, size: 4, signed: true },
        { name: 'prev_comm', cType: 'char[16]', offset: 8, size: 16, signed: false, arrayLength: 16 },
        { name: 'filename', cType: 'const char *', offset: 24, size: 8, signed: false },
        { name: 'name', cType: '__data_loc char[]', offset: 32, size: 4, signed: false },
      ],
    }),
  } as unknown as Tracefs;
  const env = { tracefs } as unknown as Parameters<NonNullable<typeof tracepointProvider.describeArguments>>[1];
  t.deepEqual(tracepointProvider.describeArguments!('tracepoint:c:e', env), ['    char prev_comm[16]', '    const char * filename', '    __data_loc char[] name']);
});

test('--info prints upstream sections in "name: yes/no" form', (t) => {
  const features: KernelFeatures = {
    helpers: [['probe_read', true], ['dpath', false]],
    instructionLimit: 1000000,
    loops: true,
    btf: true,
    moduleBtf: false,
    mapBatch: true,
    uprobeRefcount: true,
    maps: [['hash', true]],
    probes: [['kprobe', true], ['kfunc', false]],
  };
  const text = infoReport('v9.9.9', features, { name: 'libbpf', version: '1.1' });
  t.regex(text, /^System\n {2}OS: Linux \S+ .*\n {2}Arch: \S+\n\nBuild\n {2}version: v9\.9\.9\n/);
  t.true(
    text.endsWith(`Kernel helpers
  probe_read: yes
  dpath: no

Kernel features
  Instruction limit: 1000000
  Loop support: yes
  btf: yes
  module btf: no
  map batch: yes
  uprobe refcount: yes

Map types
  hash: yes

Probe types
  kprobe: yes
  kfunc: no
`),
  );
});

function fileWriter(mode: 'none' | 'line' | 'full') {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-writer-'));
  const file = join(dir, 'out');
  return { w: new BufferedWriter(mode, file), read: () => readFileSync(file, 'utf8') };
}

test('-B none writes at once', (t) => {
  const { w, read } = fileWriter('none');
  w.out('a');
  t.is(read(), 'a');
  w.close();
});

test('-B line writes at the end of the event-loop turn', async (t) => {
  const { w, read } = fileWriter('line');
  w.out('a\n');
  w.out('b');
  t.is(read(), '');
  await new Promise((r) => setImmediate(r));
  t.is(read(), 'a\nb');
  w.close();
});

test('-B full holds output until 64 KiB or close, even across turns', async (t) => {
  const { w, read } = fileWriter('full');
  w.out('x'.repeat(100));
  await new Promise((r) => setImmediate(r));
  t.is(read(), '');
  w.out('y'.repeat(FULL_BUFFER_BYTES));
  t.is(read().length, FULL_BUFFER_BYTES + 100);
  w.out('z');
  w.close();
  t.true(read().endsWith('z'));
  w.close();
});
