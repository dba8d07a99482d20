// test:NAME and bench:NAME: one label each (never a pattern), xdp programs the
// session runs itself; anything but one label is refused with bpftrace's words.
import test from 'ava';
import { benchProvider, testProvider } from '../../providers/test-bench/index.ts';
import { errorAt, sessionRunRoles, type AttachPointRequest, type ProbeProvider, type ProviderEnv, type Span } from '../../sdk/index.ts';

const span: Span = { file: 'lib.bt', line: 3, col: 1, endLine: 3, endCol: 9 };
const env = { fail: (m: string, s?: Span) => { throw errorAt(s, m); } } as unknown as ProviderEnv;

function request(raw: string): AttachPointRequest {
  const [providerWord, ...parts] = raw.split(':');
  return { raw, providerWord: providerWord!, parts, span };
}

const expand = (p: ProbeProvider, raw: string) => p.expand(request(raw), env);

test('a test or benchmark is one xdp program named by its label, wildcards and all', (t) => {
  t.deepEqual(expand(testProvider, 'test:parses_ipv4'), [{ name: 'test:parses_ipv4', provider: 'test', section: 'xdp', target: { label: 'parses_ipv4' } }]);
  t.deepEqual(expand(benchProvider, 'bench:lookup'), [{ name: 'bench:lookup', provider: 'bench', section: 'xdp', target: { label: 'lookup' } }]);
  t.is(expand(testProvider, 'test:a*')[0]!.name, 'test:a*');
  t.false(testProvider.isPattern!(request('test:a*'), env));
});

test('the session runs them: their roles are among those never attached', (t) => {
  t.is(testProvider.role, 'test');
  t.is(benchProvider.role, 'bench');
  t.true(sessionRunRoles.includes('test') && sessionRunRoles.includes('bench'));
  t.is(testProvider.attach, undefined);
});

test('no label, or more than one part, is refused as bpftrace words it', (t) => {
  t.throws(() => expand(testProvider, 'test'), { message: 'test probe type requires 1 arguments, found 0' });
  t.throws(() => expand(testProvider, 'test:a:b'), { message: 'test probe type requires 1 arguments, found 2' });
  t.throws(() => expand(benchProvider, 'bench:x:y:z'), { message: 'bench probe type requires 1 arguments, found 3' });
});
