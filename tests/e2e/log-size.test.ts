// BPFTRACE_LOG_SIZE (config log_size): the verifier's log buffer of each
// program. A log that does not fit fails the load with bpftrace's words; one
// that fits loads as before.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const timeoutMs = 120_000;
const prog = 'begin { printf("%s\\n", str($1)); exit(); }';

test('with -v, a log buffer too small for the statistics fails the load and says which size to raise', async (t) => {
  const r = await bpfscript(['-v', '-e', prog, 'hi'], { timeoutMs, env: { BPFTRACE_LOG_SIZE: '2' } });
  t.is(r.code, 1);
  t.is(r.stdout, '');
  const lines = r.stderr.split('\n');
  t.true(lines.includes('ERROR: Error loading BPF program for begin_1. Error code: -28 (No space left on device).'), r.stderr);
  t.true(lines.includes('Kernel error log: '), r.stderr);
  t.true(lines.includes('WARNING: Kernel log seems to be trimmed. This may be due to buffer not being big enough, try increasing the BPFTRACE_LOG_SIZE environment variable beyond the current value of 2 bytes. Or, add the configuration `config = { log_size = N; }` to the script.'), r.stderr);
});

test('the same size set in the script; a size that fits, or no -v, loads', async (t) => {
  const small = await bpfscript(['-v', '-e', `config = { log_size = 2 } ${prog}`, 'hi'], { timeoutMs });
  t.is(small.code, 1);
  t.true(small.stderr.includes('beyond the current value of 2 bytes'), small.stderr);
  const big = await bpfscript(['-v', '-e', prog, 'hi'], { timeoutMs, env: { BPFTRACE_LOG_SIZE: '10000000' } });
  t.is(big.code, 0, big.stderr);
  t.is(big.stdout, 'hi\n\n\n');
  t.regex(big.stderr, /processed \d+ insns/);
  const quiet = await bpfscript(['-e', prog, 'hi'], { timeoutMs, env: { BPFTRACE_LOG_SIZE: '2' } });
  t.is(quiet.code, 0, quiet.stderr);
  t.is(quiet.stdout, 'hi\n\n\n');
});
