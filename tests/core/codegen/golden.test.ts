// Golden tests of the C that codegen writes for each program (the probe
// functions; the prelude and the kernel type declarations are left out, as
// they are fixed text and the running kernel's layouts). Regenerate with
// UPDATE_GOLDEN=1 npx ava tests/core/codegen, then review the diff.
import test from 'ava';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBpfscript as createContainer } from '../../../cli/plugins.ts';
import { compileScript } from '../../../core/session/index.ts';
import { repoRoot } from '../../helpers/run.ts';
import { compileC } from '../../../core/build/index.ts';

const dir = join(repoRoot, 'tests', 'core', 'codegen', 'golden');

/** The generated probe functions (and map-loop callbacks, the inline functions of shared hooks), from the first of them to the end. */
export function probeFunctions(c: string): string {
  const lines = c.split('\n');
  const start = lines.findIndex((l) => /^SEC\("(?!\.maps)/.test(l) || l.startsWith('struct bs_locals_') || l.startsWith('static __always_inline int bs_probe_'));
  return lines.slice(start).join('\n');
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.bt')).sort()) {
  test(file, async (t) => {
    const text = readFileSync(join(dir, file), 'utf8');
    // A `// options: --unsafe` line compiles the program as `bpfscript --unsafe` would.
    const container = await createContainer({ config: { unsafe: /^\/\/ options: --unsafe$/m.test(text) } });
    const { c } = await compileScript(container, { text, file, positional: [] });
    const actual = probeFunctions(c);
    const goldenPath = join(dir, file.replace(/\.bt$/, '.c'));
    if (process.env.UPDATE_GOLDEN || !existsSync(goldenPath)) writeFileSync(goldenPath, actual);
    t.is(actual, readFileSync(goldenPath, 'utf8'));
    // The whole unit must also be valid C for clang's BPF target.
    t.notThrows(() => compileC(c));
  });
}
