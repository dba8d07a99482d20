// bt-hash's own tests: bpfscript/testing's ScriptTester under node:test
// (`npm test`). The expected hashes are FNV-1a's, computed here in
// JavaScript; `output` cases run on the kernel where BPF loads (root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScriptTester } from 'bpfscript/testing';

const tester = new ScriptTester({ packageDir: fileURLToPath(new URL('..', import.meta.url)) });

/** The 64-bit FNV-1a hash of a string's UTF-8 bytes. */
function fnv1a(s) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(s)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash;
}

tester.register('bt-hash', {
  valid: [
    {
      name: 'the hashes of literals and of a variable',
      script: 'import "bt-hash";\nbegin { $p = "/etc/passwd"; printf("%lu %lu %lu\\n", fnv1a(""), fnv1a("hello"), fnv1a($p)); exit(); }',
      c: /__bt_hash_fnv1a64\(/,
      output: `${fnv1a('')} ${fnv1a('hello')} ${fnv1a('/etc/passwd')}\n\n\n`,
    },
    {
      name: 'a map keyed by the hash of a tracepoint\'s string',
      script: 'import "bt-hash";\ntracepoint:syscalls:sys_enter_openat { @opens[fnv1a(str(args.filename))] = count(); }',
      clang: true,
    },
  ],
  invalid: [
    {
      script: 'import "bt-hash";\nbegin { print(fnv1a(1)); }',
      errors: [{ message: '__bt_hash_fnv1a64(): argument 1 (const char *s) must be &$variable, a string, a pointer or 0, got int8', line: 2, col: 21 }],
    },
  ],
}, test);

test('every macro is documented as the standard library is (:variant and description)', () => tester.checkDocs());

// End to end: the kernel hashes the path this process opens, as JavaScript does.
test('bt-hash › the hash of a path a process opens', { skip: !tester.runsOnKernel && 'BPF cannot be loaded here (not root)' }, async () => {
  const path = `/tmp/bt-hash-test-${process.pid}`;
  const opener = setInterval(() => {
    try {
      closeSync(openSync(path, 'a'));
    } catch {
      // The path is created by the first open; nothing else can fail here.
    }
  }, 50);
  try {
    const run = await tester.execute(`import "bt-hash";\ntracepoint:syscalls:sys_enter_openat / str(args.filename) == "${path}" / { printf("%lu\\n", fnv1a(str(args.filename))); exit(); }`);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `${fnv1a(path)}\n\n\n`);
    assert.equal(run.code, 0);
  } finally {
    clearInterval(opener);
    rmSync(path, { force: true });
  }
});
