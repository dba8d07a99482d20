// bpfscript/testing's ScriptTester on bpfscript's own builtins and providers
// (so the harness third parties use is the one the project uses), and on
// cases that must fail, so a broken expectation is never passed over.
import test from 'ava';
import { join } from 'node:path';
import { ScriptTester, type Cases } from '../../testing/index.ts';
import { repoRoot } from '../helpers/run.ts';

const tester = new ScriptTester({ kernel: 'never' });

tester.register('builtins', {
  valid: [
    'begin { print(comm); }',
    { name: 'an aggregation updates its map', script: 'begin { @x = count(); }', c: /bs_agg_add\(&map_x, &__key\d+, 1\)/ },
    { name: 'a value is printed', script: 'begin { print(12345); }', c: '12345' },
    { name: 'a compile-time constant folds', script: 'begin { if comptime (probetype == "nope") { print(12345); } }', c: (c) => { if (c.includes('12345')) throw new Error('the branch never taken was generated'); } },
  ],
  invalid: [
    { script: 'begin { print(nope()); }', errors: [{ message: "Unknown function: 'nope'", line: 1, col: 15 }] },
    { script: 'begin { exit(1, 2, 3); }', errors: [{ message: 'exit() requires 0 to 1 arguments (3 provided)', line: 1, col: 9 }] },
  ],
}, (name, fn) => test(name, async (t) => { await fn(); t.pass(); }));

tester.register('providers', {
  valid: [
    { name: 'tracepoint args are typed from the format file', script: 'tracepoint:sched:sched_switch { print(args.next_pid); }', c: 'next_pid' },
    { name: 'interval', script: 'interval:s:1 { exit(); }' },
  ],
  invalid: [
    { script: 'tracepoint:sched:sched_switch { print(args.no_such_field); }', errors: [{ message: /no_such_field/, line: 1 }] },
    { script: 'interval:lightyears:1 { }', errors: [{ message: 'lightyears is not an accepted unit', line: 1, col: 1 }] },
  ],
}, (name, fn) => test(name, async (t) => { await fn(); t.pass(); }));

test('formats a test gives are tracepoints of the fixed tracefs', async (t) => {
  const formats = { 'block:block_rq_issue': 'name: block_rq_issue\nID: 1\nformat:\n\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n\tfield:unsigned int bytes;\toffset:8;\tsize:4;\tsigned:0;\n' };
  const outcome = await new ScriptTester({ formats }).compile('tracepoint:block:block_rq_issue { print(args.bytes); }');
  t.true(outcome.ok, outcome.text);
});

test('a failing case fails: wrong message, wrong place, compiles when refusal was expected, refused when it should compile, C not found, warnings', async (t) => {
  const cases: Cases = {
    valid: [
      'begin { print(nope()); }',
      { script: 'begin { print(1); }', c: 'no such C' },
      { script: 'begin { print(1); }', warnings: ['a warning that does not come'] },
    ],
    invalid: [
      { script: 'begin { print(1); }', errors: [{ message: 'x' }] },
      { script: 'begin { print(nope()); }', errors: [{ message: 'another message' }] },
      { script: 'begin { print(nope()); }', errors: [{ message: "Unknown function: 'nope'", line: 1, col: 1 }] },
      { script: 'begin { print(nope()); }', errors: [] },
    ],
  };
  const e = await t.throwsAsync(tester.check(cases));
  t.is(e!.message.split('\n')[0], '7 case(s) failed:');
  t.regex(e!.message, /valid: begin \{ print\(nope\(\)\); \}: expected the script to compile, but:\nstdin:1:15-19: ERROR: Unknown function: 'nope'/);
  t.regex(e!.message, /the generated C does not contain "no such C"/);
  t.regex(e!.message, /expected warnings "a warning that does not come", got:\n\(none\)/);
  t.regex(e!.message, /expected the script to be refused, but it compiled/);
  t.regex(e!.message, /error 1: expected "another message", got:/);
  t.regex(e!.message, /error 1: expected at 1:1, it is at 1:15/);
  t.regex(e!.message, /expected 0 error\(s\)/);
});

test('the package under test is imported by its name, its plugin loaded, its failures named', async (t) => {
  const packageDir = join(repoRoot, 'tests/fixtures/packages/bt-misbehave');
  const outcome = await new ScriptTester({ packageDir }).compile('import "bt-misbehave";\nbegin { print(deep()); }');
  t.false(outcome.ok);
  if (!outcome.ok) {
    t.like(outcome.errors[0], { severity: 'ERROR', line: 2, col: 15, message: 'builtin deep() of plugin "misbehave" of package "bt-misbehave" failed in check: TypeError: Cannot read properties of undefined (reading \'deeper\')' });
  }
});

test('checkDocs: the doc rule of the standard library, for the package under test', async (t) => {
  await t.notThrowsAsync(new ScriptTester({ packageDir: join(repoRoot, 'tests/fixtures/packages/bt-syscall') }).checkDocs());
  const e = await t.throwsAsync(new ScriptTester({ packageDir: join(repoRoot, 'tests/fixtures/packages/bt-fixture') }).checkDocs());
  t.is(e!.message, 'bt-fixture: builtin answer has no :variant naming it; builtin answer has no description');
});
