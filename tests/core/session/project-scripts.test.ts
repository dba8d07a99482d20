// Every script the project ships or shows through the whole compile, clang
// included (as `--mode codegen`; nothing loaded): the tools, the test scripts
// and fixtures, the golden programs and the examples of docs/. Each must end
// in C that clang takes or in a located refusal (error scripts and doc
// snippets that are not whole programs): generated C that clang rejects is a
// compiler bug, and so is a JavaScript error.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../helpers/run.ts';
import { compileOutcome } from '../../helpers/compile-outcome.ts';

const SCRIPT_DIRS = ['tools', 'tests/scripts', 'tests/fixtures', 'tests/core/codegen/golden', 'tests/core/syntax/fixtures'];
const DOCS = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function btFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : btFiles(path);
      return name.endsWith('.bt') ? [path] : [];
    });
}

/** A fenced block of a doc that reads as a program: untagged or `bt`, starting with a probe, a config block or C. */
const PROGRAM_START = /^\s*(?:begin|end|BEGIN|END|tracepoint|t:|rawtracepoint|kprobe|kretprobe|uprobe|uretprobe|usdt|interval|profile|software|hardware|iter|fentry|fexit|watchpoint|self|config|struct|macro|import|let|#include)\b/m;

function docExamples(file: string): { name: string; text: string }[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const out: { name: string; text: string }[] = [];
  for (const m of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
    const [, lang, body] = m;
    if (!['', 'bt', 'bpftrace'].includes(lang!) || !body!.includes('{') || !PROGRAM_START.test(body!)) continue;
    const line = text.slice(0, m.index).split('\n').length + 1;
    out.push({ name: `${file}:${line}`, text: body! });
  }
  return out;
}

const scripts = [
  ...SCRIPT_DIRS.flatMap((d) => btFiles(join(repoRoot, d))).map((path) => ({ name: relative(repoRoot, path), text: readFileSync(path, 'utf8'), file: relative(repoRoot, path) })),
  ...DOCS.flatMap(docExamples).map((e) => ({ ...e, file: 'stdin' })),
];

test('the project has scripts and doc examples to compile', (t) => {
  t.true(scripts.filter((s) => s.name.startsWith('tools/')).length >= 10);
  t.true(scripts.filter((s) => s.name.startsWith('docs/')).length >= 20);
});

for (const s of scripts) {
  test(`${s.name}: clang takes its C, or it is refused with a place`, async (t) => {
    const { outcome } = await compileOutcome(s.text, { file: s.file });
    // An imported C unit's own error is located at the import, and clang's words follow it unlocated: the script's C, not ours.
    if (outcome.kind === 'failed' && !outcome.why.startsWith('an error without a place: clang says:')) t.fail(outcome.why);
    else t.pass();
  });
}
