// --fmt round trip: every script in the repository (and bpftrace's own tools
// when installed) formats to text that parses back to the same AST, and
// formatting that text again changes nothing.
import test from 'ava';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '../../../core/syntax/index.ts';
import { formatProgram } from '../../../core/format/index.ts';
import { repoRoot } from '../../helpers/run.ts';
import { strip } from '../syntax/helpers.ts';

function scripts(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...scripts(path));
    else if (name.endsWith('.bt')) out.push(path);
  }
  return out;
}

/** The first line of every comment (strings blanked first), sorted: formatting moves comments, never drops them. */
function commentHeads(text: string): string[] {
  const blanked = text.replace(/"(\\.|[^"\\\n])*"/g, '""');
  return (blanked.match(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g) ?? []).map((c) => c.split('\n')[0]!.trim()).sort();
}

const repoScripts = ['tests', 'tools', 'stdlib'].flatMap((d) => scripts(join(repoRoot, d)));
// bpftrace's tools as Debian installs them (a real-world corpus, when present).
const systemTools = existsSync('/usr/sbin') ? readdirSync('/usr/sbin').filter((f) => f.endsWith('.bt')).map((f) => join('/usr/sbin', f)) : [];

test('the repository has scripts to format', (t) => {
  t.true(repoScripts.length >= 20, `found ${repoScripts.length}`);
});

for (const path of [...repoScripts, ...systemTools]) {
  const name = path.startsWith(repoRoot) ? relative(repoRoot, path) : path;
  test(`round trip: ${name}`, (t) => {
    const source = readFileSync(path, 'utf8');
    const ast = parse(source, name);
    const formatted = formatProgram(ast, source);
    const again = parse(formatted, name);
    t.deepEqual(strip(again), strip(ast));
    t.is(formatProgram(again, formatted), formatted, 'formatting is idempotent');
    t.deepEqual(commentHeads(formatted), commentHeads(source), 'every comment is kept');
  });
}
