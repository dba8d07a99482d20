// The lexer's state machine and the grammar's tables are made by the first
// parse, not when the syntax room is loaded: a run whose parses all come from
// the parse cache makes neither. moo is patched before the room is imported
// (this file imports nothing else of it), so the count is of this process.
import test from 'ava';
import moo from 'moo';
import nearley from 'nearley';

test('loading the syntax room compiles neither the lexer nor the grammar; the first parse does, once', async (t) => {
  let lexers = 0;
  let grammars = 0;
  const states = moo.states;
  const fromCompiled = nearley.Grammar.fromCompiled;
  moo.states = (...args: Parameters<typeof moo.states>) => (lexers++, states(...args));
  nearley.Grammar.fromCompiled = (...args: Parameters<typeof fromCompiled>) => (grammars++, fromCompiled(...args));
  try {
    const { parse } = await import('../../../core/syntax/index.ts');
    t.deepEqual([lexers, grammars], [0, 0]);
    t.is(parse('BEGIN { exit(); }', 'stdin').items.length, 1);
    t.deepEqual([lexers, grammars], [1, 1]);
    parse('BEGIN { @x = 1; }', 'stdin');
    t.deepEqual([lexers, grammars], [1, 1]);
  } finally {
    moo.states = states;
    nearley.Grammar.fromCompiled = fromCompiled;
  }
});
