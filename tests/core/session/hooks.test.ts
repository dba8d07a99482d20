// Hooks that contribute, through a plugin's HookTap: `rewrite` changes the
// program that compiles, `scope` adds builtins a script can call. Each tap is
// applied once per container, whatever the number of compiles.
import test from 'ava';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript } from '../../../core/session/index.ts';
import { parse } from '../../../core/syntax/index.ts';
import { CompileError, definePlugin, Services, types, type Builtin, type HookTap } from '../../../sdk/index.ts';
import { findClang } from '../../../core/build/index.ts';
import type * as A from '../../../core/syntax/ast.ts';

/** For tests whose script carries C (c-types runs clang). */
const clangTest = (() => {
  try {
    findClang();
    return test;
  } catch {
    return test.skip;
  }
})();

function tapPlugin(tap: HookTap) {
  return definePlugin(tap.name, ({ bind }) => {
    bind(Services.HookTap).toConstantValue(tap);
  });
}

/** `@injected = 1;` as the parser makes it. */
function injectedStatement(): A.Stmt {
  const probe = parse('begin { @injected = 1; }', 'plugin').items[0] as A.Probe;
  return probe.body.statements[0]!;
}

test('a rewrite tap changes what compiles: the statement it adds to every probe is in the program, its map in the Manifest', async (t) => {
  let calls = 0;
  const inject = tapPlugin({
    name: 'inject',
    apply(hooks) {
      hooks.rewrite.tap('inject', (program) => {
        calls++;
        return {
          ...program,
          items: program.items.map((item) => (item.kind === 'Probe' ? { ...item, body: { ...item.body, statements: [injectedStatement(), ...item.body.statements] } } : item)),
        };
      });
    },
  });
  const container = await createBpfscript({ plugins: [inject] });
  const text = 'begin { printf("hi\\n"); exit(); }';
  const compiled = await compileScript(container, { text, file: 'stdin' });
  t.deepEqual(compiled.manifest.maps.map((m) => m.name), ['@injected']);
  t.is((compiled.program.items[0] as A.Probe).body.statements.length, 3);
  t.is((compiled.prepared.program.items[0] as A.Probe).body.statements.length, 2);
  // A second compile in the same container: the tap runs once more, not twice.
  const again = await compileScript(container, { text, file: 'stdin' });
  t.is((again.program.items[0] as A.Probe).body.statements.length, 3);
  t.is(calls, 2);
  const plain = await compileScript(await createBpfscript(), { text, file: 'stdin' });
  t.deepEqual(plain.manifest.maps, []);
});

const fortyTwo: Builtin = {
  name: 'forty_two',
  check(args, tc, span) {
    if (args.length !== 0) tc.fail('forty_two() takes no arguments', span);
    return types.int64;
  },
  emit: () => '42LL',
};

test('a scope tap adds a builtin the script can call; without the tap the name is unknown', async (t) => {
  const seen: string[] = [];
  const addBuiltin = tapPlugin({
    name: 'forty-two',
    apply(hooks) {
      hooks.scope.tap('forty-two', (scope) => {
        seen.push(...['pid', 'printf', 'forty_two'].filter((n) => scope.builtins.has(n)));
        scope.builtins.set(fortyTwo.name, fortyTwo);
      });
    },
  });
  const text = 'begin { print(forty_two() + 1); exit(); }';
  const compiled = await compileScript(await createBpfscript({ plugins: [addBuiltin] }), { text, file: 'stdin' });
  t.regex(compiled.c, /42LL/);
  // The scope starts with the container's builtins; the tap's own is not one of them.
  t.deepEqual(seen, ['pid', 'printf']);
  const e = await t.throwsAsync(compileScript(await createBpfscript(), { text, file: 'stdin' }));
  t.true(e instanceof CompileError);
  t.is(e!.message, "Unknown function: 'forty_two'");
});

clangTest('a scope tap sees the script\'s C types in front of the kernel\'s when it taps after c-types', async (t) => {
  let size: number | undefined;
  const after = tapPlugin({
    name: 'after-c-types',
    apply(hooks) {
      hooks.scope.tap({ name: 'after-c-types', stage: 10 }, (scope) => {
        const foo = scope.kernelTypes.byName('struct foo');
        size = foo?.kind === 'struct' ? foo.size : undefined;
      });
    },
  });
  await compileScript(await createBpfscript({ plugins: [after] }), { text: 'struct foo { int a; long b; };\nbegin { exit(); }', file: 'stdin' });
  t.is(size, 16);
});
