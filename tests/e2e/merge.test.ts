// `bpfscript merge`: two real `-f json` runs (two hosts of an ad-hoc fleet
// run) merged into one result: histograms add bucket by bucket.
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript } from '../helpers/run.ts';

test('merge adds two runs\' histograms bucket by bucket and their counts key by key', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-merge-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const a = await bpfscript(['-f', 'json', '-q', '-e', 'begin { @h = hist(5); @h = hist(100); @c["x"] = count(); exit(); }'], { timeoutMs: 120_000 });
  const b = await bpfscript(['-f', 'json', '-q', '-e', 'begin { @h = hist(6); @h = hist(1000); @c["x"] = count(); @c["y"] = count(); exit(); }'], { timeoutMs: 120_000 });
  t.is(a.code, 0, a.stderr);
  t.is(b.code, 0, b.stderr);
  writeFileSync(join(dir, 'a.json'), a.stdout);
  writeFileSync(join(dir, 'b.json'), b.stdout);
  const merged = await bpfscript(['merge', join(dir, 'a.json'), join(dir, 'b.json')], { timeoutMs: 120_000 });
  t.is(merged.stderr, '');
  t.is(merged.code, 0);
  t.is(
    merged.stdout,
    '{"type": "map", "data": {"@c": {"x": 2, "y": 1}}}\n' +
      '{"type": "hist", "data": {"@h": [{"min": 4, "max": 7, "count": 2},{"min": 8, "max": 15, "count": 0},{"min": 16, "max": 31, "count": 0},' +
      '{"min": 32, "max": 63, "count": 0},{"min": 64, "max": 127, "count": 1},{"min": 128, "max": 255, "count": 0},' +
      '{"min": 256, "max": 511, "count": 0},{"min": 512, "max": 1023, "count": 1}]}}\n',
  );
  // -o writes the same there; a missing input is an error naming it.
  const out = join(dir, 'merged.json');
  t.is((await bpfscript(['merge', '-o', out, join(dir, 'a.json'), join(dir, 'b.json')], { timeoutMs: 120_000 })).code, 0);
  t.is(readFileSync(out, 'utf8'), merged.stdout);
  const missing = await bpfscript(['merge', join(dir, 'a.json'), join(dir, 'none.json')], { timeoutMs: 120_000 });
  t.is(missing.code, 1);
  t.is(missing.stderr, `ERROR: failed to open file '${join(dir, 'none.json')}': No such file or directory\n`);
  const none = await bpfscript(['merge'], { timeoutMs: 120_000 });
  t.is(none.stderr, 'ERROR: no runs to merge\nUSAGE: bpfscript merge [--min @MAP]... [--max @MAP]... [-o FILE] RUN.json RUN.json...\n');
});
