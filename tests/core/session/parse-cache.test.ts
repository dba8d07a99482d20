// The script's parse in the compile cache (core/session/parse-cache.ts):
// kept under the parser's identity, the file name and the text; a hit is the
// parse; anything the cache cannot be trusted with means parsing.
import test from 'ava';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompileError } from '../../../core/diagnostics/index.ts';
import { cachedParse } from '../../../core/session/parse-cache.ts';
import { parse, treeToJson } from '../../../core/syntax/index.ts';

const cache = mkdtempSync(join(tmpdir(), 'bpfs-parse-cache-'));
process.env.BPFSCRIPT_CACHE_DIR = cache;
test.after.always(() => rmSync(cache, { recursive: true, force: true }));

const entries = () => {
  try {
    return readdirSync(join(cache, 'parse')).sort();
  } catch {
    return [];
  }
};

test.serial('no parser identity (a source run): parsed, nothing kept', (t) => {
  const text = 'BEGIN { exit(); }';
  t.deepEqual(cachedParse(text, 'stdin', undefined), parse(text, 'stdin'));
  t.deepEqual(entries(), []);
});

test.serial('the first parse is kept; the next of the same text, name and parser is the kept one', (t) => {
  const text = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } BEGIN { $x = 18446744073709551615; }';
  t.deepEqual(cachedParse(text, 'stdin', 'parser-a'), parse(text, 'stdin'));
  const [entry] = entries();
  t.truthy(entry);
  // Proof that the next call reads the entry: it returns what the entry holds.
  const marker = parse('BEGIN { printf("from the cache\\n"); }', 'stdin');
  writeFileSync(join(cache, 'parse', entry!), treeToJson(marker), { mode: 0o600 });
  t.deepEqual(cachedParse(text, 'stdin', 'parser-a'), marker);
  // Another parser, name or text is another entry.
  t.deepEqual(cachedParse(text, 'stdin', 'parser-b'), parse(text, 'stdin'));
  t.deepEqual(cachedParse(text, 'x.bt', 'parser-a'), parse(text, 'x.bt'));
  t.deepEqual(cachedParse(`${text} `, 'stdin', 'parser-a'), parse(`${text} `, 'stdin'));
  t.is(entries().length, 4);
});

test.serial('an entry others may write is not read (and is replaced); a broken one is parsed again', (t) => {
  const text = 'BEGIN { print(1); }';
  const before = new Set(entries());
  cachedParse(text, 'stdin', 'parser-c');
  const path = join(cache, 'parse', entries().find((e) => !before.has(e))!);
  writeFileSync(path, treeToJson(parse('BEGIN { print(2); }', 'stdin')));
  chmodSync(path, 0o666);
  t.deepEqual(cachedParse(text, 'stdin', 'parser-c'), parse(text, 'stdin'));
  t.deepEqual(cachedParse(text, 'stdin', 'parser-c'), parse(text, 'stdin'), 'the entry was written again');
  writeFileSync(path, '{ not json');
  t.deepEqual(cachedParse(text, 'stdin', 'parser-c'), parse(text, 'stdin'));
});

test.serial('a script that does not parse fails as before, and nothing is kept for it', (t) => {
  const count = entries().length;
  const text = 'BEGIN { $x = ; }';
  const expected = t.throws(() => parse(text, 'stdin'), { instanceOf: CompileError });
  const got = t.throws(() => cachedParse(text, 'stdin', 'parser-a'), { instanceOf: CompileError });
  t.deepEqual(got?.diagnostics, expected?.diagnostics);
  t.is(entries().length, count);
});

test.serial('a cache folder others may write is not used', (t) => {
  const open = mkdtempSync(join(tmpdir(), 'bpfs-parse-open-'));
  t.teardown(() => {
    process.env.BPFSCRIPT_CACHE_DIR = cache;
    rmSync(open, { recursive: true, force: true });
  });
  chmodSync(open, 0o777);
  process.env.BPFSCRIPT_CACHE_DIR = open;
  t.deepEqual(cachedParse('BEGIN { exit(); }', 'stdin', 'parser-a'), parse('BEGIN { exit(); }', 'stdin'));
  t.deepEqual(readdirSync(open), []);
});
