// `--help NAME`: which words name a function, and the answer for a known and
// an unknown name.
import test from 'ava';
import { functionHelpText, isFunctionTopic } from '../../cli/help.ts';
import { builtinReference } from '../../cli/reference.ts';

test('a word is a function topic when it is an identifier and no file of that name exists', (t) => {
  t.true(isFunctionTopic('pid'));
  t.true(isFunctionTopic('__builtin_signal'));
  t.false(isFunctionTopic('script.bt'));
  t.false(isFunctionTopic('/tmp'));
  // A file or folder of that name (here the repository's stdlib/) is a script, as with -l.
  t.false(isFunctionTopic('stdlib'));
});

test('a builtin, a macro and a map value function print their entry', async (t) => {
  const reference = await builtinReference();
  t.deepEqual(functionHelpText(reference, 'abs'), {
    text: 'abs (macro in stdlib/math.bt)\n    int64 abs(int64 n)\n\nThe absolute value of `n`.\n\n```\nbegin { print(abs(-5)); }   // 5\n```\n',
  });
  const pid = functionHelpText(reference, 'pid');
  t.true('text' in pid && pid.text.startsWith('pid (builtin)\n    uint32 pid('), JSON.stringify(pid));
  const hist = functionHelpText(reference, 'hist');
  t.true('text' in hist && hist.text.startsWith('hist (map value function)\n    hist_t hist(int64 n[, int k])\n'), JSON.stringify(hist));
});

test('an unknown name is an error naming close names', async (t) => {
  const reference = await builtinReference();
  // The closest first; which names tie behind it depends on what the library holds.
  const close = functionHelpText(reference, 'pidd');
  t.true('error' in close && /^no builtin or standard-library function named 'pidd' \(and no script file of that name\)\nHINT: did you mean pid, [a-z_]+, [a-z_]+\?$/.test(close.error), JSON.stringify(close));
  t.deepEqual(functionHelpText(reference, 'zzzzzzzzzz'), { error: "no builtin or standard-library function named 'zzzzzzzzzz' (and no script file of that name)" });
});
