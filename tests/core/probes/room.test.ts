// The probes stage comes before codegen in the pipeline: it depends on the
// SDK and the stages before it, never on code generation (what both use, like
// the bound on a shared program's functions, lives here or in the SDK).
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const room = join(import.meta.dirname, '../../../core/probes');

test('no file of core/probes imports from core/codegen', (t) => {
  const files = readdirSync(room).filter((f) => f.endsWith('.ts'));
  t.true(files.length > 0);
  const offending = files.filter((f) => /from '\.\.\/codegen\//.test(readFileSync(join(room, f), 'utf8')));
  t.deepEqual(offending, []);
});

test('the bound on a shared program\'s functions is the probe room\'s, and codegen splits groups by the same constant', async (t) => {
  const probes = await import('../../../core/probes/index.ts');
  t.is(probes.MULTI_ATTACH_MAX_FUNCTIONS, 128);
  const codegen = readFileSync(join(room, '../codegen/multi-attach.ts'), 'utf8');
  t.regex(codegen, /import \{ MULTI_ATTACH_MAX_FUNCTIONS \} from '\.\.\/probes\/index\.ts'/);
});
