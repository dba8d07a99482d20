// Realistic scripts (fixtures/*.bt), parse timing and robustness.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { CompileError } from '../../../core/diagnostics/index.ts';
import { parse, parseDetailed } from '../../../core/syntax/index.ts';
import type * as A from '../../../core/syntax/index.ts';
import { parseOne, show } from './helpers.ts';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const kinds = (p: A.Program): string[] => p.items.map((i) => i.kind);

test('opensnoop.bt', (t) => {
  const p = parseOne(fixture('opensnoop.bt'));
  t.deepEqual(kinds(p), [
    'PreprocessorLine', 'PreprocessorLine', 'PreprocessorLine', 'PreprocessorLine',
    'ConfigBlock', 'Probe', 'Probe', 'Probe', 'Probe',
  ]);
  const exit = p.items[7] as A.Probe;
  t.deepEqual(
    exit.attachPoints.map((a) => a.raw),
    ['tracepoint:syscalls:sys_exit_open', 'tracepoint:syscalls:sys_exit_openat'],
  );
  t.is(show(exit.predicate), '([] @filename tid)');
  t.is(show(exit.body.statements[2]), '(= $errno (? (>= $ret 0) 0 (u- $ret)))');
  t.is(
    show(exit.body.statements[3]),
    '(call printf "%-6d %-16s %4d %3d %s\\n" pid comm $fd $errno (call str ([] @filename tid)))',
  );
});

test('tcpconnect.bt', (t) => {
  const p = parseOne(fixture('tcpconnect.bt'));
  t.deepEqual(kinds(p), [
    'PreprocessorLine', 'PreprocessorLine', 'CDefinition', 'CDefinition', 'CDefinition', 'Import',
    'MacroDef', 'MacroDef', 'MapDecl', 'Probe', 'Probe', 'Probe', 'Probe', 'Probe',
  ]);
  const [sock, conn, u64] = p.items.slice(2, 5) as A.CDefinition[];
  t.is(sock!.name, 'sock_common_lite');
  t.true(sock!.text.endsWith('} __attribute__((packed));'));
  t.is(conn!.keyword, 'enum');
  t.is(u64!.name, 'u64_t');
  const family = p.items[6] as A.MacroDef;
  t.is(
    show(family.body),
    '{=> (ifexpr (== f AF_INET) {=> "IPv4"} (ifexpr (== f AF_INET6) {=> "IPv6"} {=> "other"}))}',
  );
  const bump = p.items[7] as A.MacroDef;
  t.is(show(bump), '(macro bump [$count @hist] {(+= $count 1); (= ([] @hist (% $count 4)) (call count)); => $count})');
  const connect = p.items[10] as A.Probe;
  t.is(show(connect.body.statements[0]), '(let $sk :(ptr struct:sock) (cast (ptr struct:sock) arg0))');
  const kret = p.items[11] as A.Probe;
  t.is(show(kret), '(probe [kretprobe:tcp_connect] (pred (!= retval 0)) {(= ([] @errors retval) (call count))})');
});

test('biolatency.bt', (t) => {
  const p = parseOne(fixture('biolatency.bt'));
  t.deepEqual(kinds(p), ['ConfigBlock', 'Probe', 'Probe', 'Probe', 'Probe', 'Probe']);
  const done = p.items[3] as A.Probe;
  t.is(show(done.body.statements[0]), '(= $req (cast (ptr struct:request) arg0))');
  t.is(
    show(done.body.statements[4]),
    '(= $info (record latency=$lat bytes=(-> $req __data_len) write=(!= (& (-> $req cmd_flags) 1) 0)))',
  );
  t.is(show(done.body.statements[6]), '(= $bucket (? (< $lat 100) 0 (? (< $lat 1000) 1 2)))');
  const tick = p.items[4] as A.Probe;
  t.deepEqual(
    tick.body.statements.map((s) => s.kind),
    ['Assign', 'While', 'Unroll', 'For', 'For', 'Assign', 'If'],
  );
  t.is(show(tick.body.statements[5]), '(= $elapsed (/ (- nsecs @start_ns) 1000000000))');
});

test('stdlib_like.bt', (t) => {
  const p = parseOne(fixture('stdlib_like.bt'));
  t.deepEqual(kinds(p), ['MacroDef', 'MacroDef', 'MacroDef', 'MacroDef', 'MacroDef', 'FnDef', 'FnDef', 'Probe']);
  t.is(show(p.items[0]), '(macro is_str [x] {=> (comptime (== (. (typeinfo x) base_type) "string"))})');
  t.is(
    show((p.items[1] as A.MacroDef).body),
    '{=> (ifexpr-comptime (call is_str x) {(import "stdlib/strings/strings.bpf.c"); => (call __strlen x (sizeof x))} ' +
      '{(call fail "str_len: expected a string, got %s" (. (typeinfo x) full_type)); => 0})}',
  );
  t.is(show(p.items[3]), '(macro p_cast [t v] {=> (cast (typeof t) v)})');
  t.is(show(p.items[4]), '(macro first_or [x d] {=> (?: x d)})');
  t.is(show(p.items[6]), '(fn log_value [$v:int64 $s:string[16]] void {(call printf "%s=%d\\n" $s $v)})');
  const stmts = (p.items[7] as A.Probe).body.statements.map(show);
  t.deepEqual(stmts.slice(4, 9), [
    '(= $y (call p_cast (type (typeof uint8)) (u- 1)))',
    '(= $off (offsetof struct:task_struct se.vruntime))',
    '(= $sz (+ (sizeof (array (ptr uint32) 10)) (sizeof {(= $a (cast int8 1)); => $a})))',
    '(= $r (comptime (? $x 1 2)))',
    '(call print (tuple (call str_len "abc") (call first_or 0 5) (call add_one 1) $# $1))',
  ]);
});

/** A script of about 300 lines built from the fixtures' probes. */
function bigScript(): string {
  const probes = ['biolatency.bt', 'tcpconnect.bt', 'opensnoop.bt']
    .map((f) => fixture(f).split('\n'))
    .map((lines) => lines.slice(lines.findIndex((l) => /^(BEGIN|kprobe|tracepoint)/.test(l))).join('\n'))
    .join('\n');
  let out = '';
  while (out.split('\n').length < 320) out += probes + '\n';
  // cut after the last top-level `}` within 300 lines
  const lines = out.split('\n');
  let end = 300;
  while (lines[end - 1] !== '}') end--;
  return lines.slice(0, end).join('\n');
}

test('parsing a ~300-line script takes well under 50 ms (the quickest of 15 runs: a busy machine slows some)', (t) => {
  const src = bigScript();
  const lines = src.split('\n').length;
  t.true(lines >= 280 && lines <= 300);
  const first = parseDetailed(src, 'big.bt');
  t.is(first.parses, 1);
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    parse(src, 'big.bt');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  t.log(`${lines} lines, ${first.tokens} tokens: median ${median.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms`);
  t.true(times[0]! < 50, `min ${times[0]} ms, median ${median} ms`);
});

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

test('no input makes parse throw anything but a CompileError', (t) => {
  const sources = ['opensnoop.bt', 'tcpconnect.bt', 'biolatency.bt', 'stdlib_like.bt'].map(fixture);
  const pieces = [
    '{', '}', '(', ')', '[', ']', '/', '"', "'", '\\', '$', '@', '#', ':', ';', ',', '.', '..', '?', '*', '&',
    'if', 'else', 'struct', 'config', 'macro', 'fn', 'let', 'import', 'typeof', 'comptime', 'uint8', '0x', '1e',
    '$1', '$#', '@m', '/*', '//', '\n', ' ', 'kprobe:f', '`', '\u00e9', '\ud83d',
  ];
  const next = rng(1234);
  const inputs: string[] = [];
  for (const s of sources) {
    // every prefix at a coarse stride, and random single-character damage
    for (let i = 0; i < s.length; i += 7) inputs.push(s.slice(0, i));
    for (let k = 0; k < 150; k++) {
      const at = Math.floor(next() * s.length);
      const piece = pieces[Math.floor(next() * pieces.length)]!;
      inputs.push(s.slice(0, at) + piece + s.slice(at + (next() < 0.5 ? 1 : 0)));
    }
  }
  for (let k = 0; k < 300; k++) {
    let s = '';
    const n = 1 + Math.floor(next() * 20);
    for (let i = 0; i < n; i++) s += pieces[Math.floor(next() * pieces.length)]! + (next() < 0.5 ? ' ' : '');
    inputs.push(s);
  }
  let errors = 0;
  for (const input of inputs) {
    try {
      const r = parseDetailed(input, 'fuzz');
      if (r.parses !== 1) t.fail(`ambiguous: ${JSON.stringify(input)}`);
    } catch (e) {
      if (!(e instanceof CompileError)) {
        t.fail(`${JSON.stringify(input)} threw ${String(e)}`);
        return;
      }
      const d = e.diagnostics[0]!;
      t.truthy(d.span, `unlocated error for ${JSON.stringify(input)}`);
      errors++;
    }
  }
  t.log(`${inputs.length} inputs, ${errors} rejected`);
  t.pass();
});
