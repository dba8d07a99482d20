// software/hardware and interval/profile attach points: names as bpftrace
// gives them (an alias stays as written, a count only when given, `1e6`
// read as a number), what `-l` lists for them, and how a program's probe is listed.
import test from 'ava';
import { softwareProvider } from '../../providers/software/index.ts';
import { hardwareProvider } from '../../providers/hardware/index.ts';
import { intervalProvider } from '../../providers/interval/index.ts';
import { profileProvider } from '../../providers/profile/index.ts';
import { errorAt, type AttachPointRequest, type ProbeProvider, type ProviderEnv, type Span } from '../../sdk/index.ts';

const span: Span = { file: 'stdin', line: 1, col: 1, endLine: 1, endCol: 10 };
const env = { fail: (m: string, s?: Span) => { throw errorAt(s, m); } } as unknown as ProviderEnv;

function expand(p: ProbeProvider, raw: string) {
  const [providerWord, ...parts] = raw.split(':');
  const req: AttachPointRequest = { raw, providerWord: providerWord!, parts, span };
  return p.expand(req, env)[0]!;
}

test('software probes are named as written, with the count when one is given', (t) => {
  t.is(expand(softwareProvider, 'software:cpu:100000').name, 'software:cpu:100000');
  t.is(expand(softwareProvider, 's:cpu-clock:100000').name, 'software:cpu-clock:100000');
  t.is(expand(softwareProvider, 'software:faults').name, 'software:faults');
  t.is(expand(softwareProvider, 'software:cpu-clock:').name, 'software:cpu-clock');
  const e = expand(softwareProvider, 'software:cpu:1e6');
  t.is(e.name, 'software:cpu:1000000');
  t.deepEqual(e.target, { config: 0, period: 1000000 });
  t.is(expand(softwareProvider, 'software:page-faults').target.period, 100, 'the default count');
  t.throws(() => expand(softwareProvider, 'software:cpu:1x'), { message: 'Invalid count: invalid trailing bytes: 1x' });
  t.is(expand(hardwareProvider, 'h:cycles:1000').name, 'hardware:cycles:1000');
});

test('-l lists every name of every event and each timed unit, those the pattern matches', (t) => {
  const sw = softwareProvider.list!('*', env);
  t.deepEqual(sw.slice(0, 3), ['software:cpu-clock:', 'software:cpu:', 'software:task-clock:']);
  t.true(sw.includes('software:cs:'));
  t.deepEqual(softwareProvider.list!('cpu*', env), ['software:cpu-clock:', 'software:cpu:', 'software:cpu-migrations:']);
  t.true(hardwareProvider.list!('*', env).includes('hardware:cpu-cycles:'));
  t.deepEqual(intervalProvider.list!('*', env), ['interval:hz:', 'interval:ms:', 'interval:s:', 'interval:us:']);
  t.deepEqual(profileProvider.list!('*s:', env), ['profile:ms:', 'profile:s:', 'profile:us:']);
});

test('a program\'s probes are listed as the listing names them: the unit or the event, no count', (t) => {
  t.is(intervalProvider.listedName!(expand(intervalProvider, 'interval:ms:100')), 'interval:ms:');
  t.is(profileProvider.listedName!(expand(profileProvider, 'profile:hz:99')), 'profile:hz:');
  t.is(intervalProvider.listedName!(expand(intervalProvider, 'interval:1s')), 'interval:s:');
  t.is(hardwareProvider.listedName!(expand(hardwareProvider, 'hardware:cache-misses:10')), 'hardware:cache-misses:');
});

test('a timed probe without a rate names its own provider in the example', (t) => {
  t.throws(() => expand(profileProvider, 'profile:a:b:c'), { message: 'profile probes take a unit and a rate: profile:s:1' });
  t.throws(() => expand(intervalProvider, 'interval:a:b:c'), { message: 'interval probes take a unit and a rate: interval:s:1' });
});
