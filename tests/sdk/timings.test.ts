// Phase timings (--timings): nested phases are counted once, repeats are summed.
import test from 'ava';
import { PhaseTimings } from '../../sdk/timings.ts';

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

function rows(report: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of report.split('\n').slice(1)) {
    const m = /^ {2}(.+?)\s+(\d+\.\d)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

test('disabled, nothing is recorded and the function still runs', (t) => {
  const timings = new PhaseTimings();
  t.is(timings.measure('x', () => 42), 42);
  t.deepEqual([...rows(timings.report(10)).keys()], ['other', 'total']);
});

test('a phase nested in another is taken out of the outer one; the rows add up to the total', (t) => {
  const timings = new PhaseTimings();
  timings.enable();
  timings.add('node start', 5);
  timings.measure('compile', () => {
    busyWait(2);
    // Long beside the outer phase's own 2 ms, so a preemption on a loaded machine cannot reverse them.
    timings.measure('BTF', () => busyWait(150));
  });
  const r = rows(timings.report(1000));
  t.deepEqual([...r.keys()], ['node start', 'compile', 'BTF', 'other', 'total']);
  t.true(r.get('BTF')! >= 150);
  t.true(r.get('compile')! < r.get('BTF')!, 'the outer phase does not count the nested one');
  const sum = [...r].filter(([k]) => k !== 'total').reduce((s, [, v]) => s + v, 0);
  t.true(Math.abs(sum - 1000) < 0.5);
});

test('a phase measured again is summed, with its count', async (t) => {
  const timings = new PhaseTimings();
  timings.enable();
  timings.measure('tracefs', () => busyWait(1));
  await timings.measureAsync('tracefs', async () => busyWait(1));
  t.throws(() => timings.measure('load', () => { throw new Error('refused'); }), { message: 'refused' });
  const r = rows(timings.report(100));
  t.true(r.get('tracefs (x2)')! >= 2);
  t.true(r.has('load'), 'a phase that throws is still counted');
});
