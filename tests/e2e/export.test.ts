// --export against real servers: Debian's Prometheus (bin/setup installs it)
// scrapes a running script's /metrics and is asked through its query API what
// arrived; an OTLP receiver decodes the final push with OpenTelemetry's own
// protocol definitions. Everything listens on loopback, on free ports, and
// stops at the end of each test, passed or failed.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, bpfscript, fixtureProgram, repoRoot } from '../helpers/run.ts';
import { prometheusInstalled, startPrometheus, PROMETHEUS_BINARY } from '../helpers/prometheus-server.ts';
import { otlpAttributes, otlpMetrics, selfSignedCertificate, startOtlpReceiver } from '../helpers/otlp-receiver.ts';

/** getppid() calls of process `comm`, counted, numbered and put in a histogram by their number. */
const script = (comm: string) => `// @calls: getppid() calls by process name
tracepoint:syscalls:sys_enter_getppid /comm == "${comm}"/ { @calls[comm] = count(); @n++; @seq = hist(@n); }`;

/**
 * The getppid fixture under a name of its own (its comm): other tests run
 * the fixture at the same time, and their calls must not count here.
 */
function namedGetppid(t: import('ava').ExecutionContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-export-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  copyFileSync(fixtureProgram('getppid'), path);
  return path;
}

/** A running bpfscript; `stop()` ends it (SIGINT, then SIGKILL) and waits. */
function startBpfscript(args: string[]): { child: ChildProcess; stderr: () => string; stop(): Promise<void> } {
  const child = spawn(cli, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('Prometheus scrapes the running script: the counter with its comm label and the histogram buckets arrive with their values', async (t) => {
  t.timeout(300_000);
  t.true(prometheusInstalled(), `${PROMETHEUS_BINARY} is missing: run bin/setup (it installs Debian's prometheus package)`);
  const getppid = namedGetppid(t, 'ppid-prom');
  // The child makes its 1000 calls, then waits to be scraped (exec: the shell's pid, cpid, is the sleep's).
  const run = startBpfscript(['--export', 'prometheus=127.0.0.1:0', '-e', script('ppid-prom'), '-c', `sh -c '${getppid} 1000; exec sleep 300'`]);
  t.teardown(() => run.stop());
  const metricsUrl = await until('the metrics address', 120_000, async () => /Serving metrics on (http:\/\/\S+)/.exec(run.stderr())?.[1]);
  const target = new URL(metricsUrl).host;

  // What a person sees with curl: a counter family with the comm as a label, a histogram with le buckets.
  const text = await until('the 1000 calls on /metrics', 120_000, async () => {
    const body = await (await fetch(metricsUrl)).text();
    return /^bpfscript_calls_total\{key0="ppid-prom"\} 1000$/m.test(body) ? body : undefined;
  });
  t.regex(text, /^# HELP bpfscript_calls_total getppid\(\) calls by process name\n# TYPE bpfscript_calls_total counter$/m);
  t.regex(text, /^# TYPE bpfscript_seq histogram$/m);
  t.regex(text, /^bpfscript_seq_bucket\{le="\+Inf"\} 1000$/m);

  const prometheus = await startPrometheus(target);
  t.teardown(() => prometheus.stop());
  const calls = await until('Prometheus to scrape the counter', 150_000, async () => {
    const r = await prometheus.query('bpfscript_calls_total');
    return r.length > 0 ? r : undefined;
  });
  t.is(calls.length, 1, prometheus.log());
  t.is(calls[0]!.metric.key0, 'ppid-prom');
  t.is(calls[0]!.metric.job, 'bpfscript');
  t.is(calls[0]!.value[1], '1000');
  t.is((await prometheus.query('bpfscript_n'))[0]?.value[1], '1000');

  // @n went 1..1000: hist() puts 1 in [1, 2), 2-3 in [2, 4) ... 512-1000 in [512, 1024).
  const buckets = await prometheus.query('bpfscript_seq_bucket');
  const byLe = Object.fromEntries(buckets.map((b) => [b.metric.le, Number(b.value[1])]));
  t.deepEqual(byLe, { '1': 1, '3': 3, '7': 7, '15': 15, '31': 31, '63': 63, '127': 127, '255': 255, '511': 511, '1023': 1000, '+Inf': 1000 });
  // Prometheus reads them as a histogram: the median call number lies in [256, 512).
  const median = Number((await prometheus.query('histogram_quantile(0.5, bpfscript_seq_bucket)'))[0]?.value[1]);
  t.true(median >= 255 && median <= 511, String(median));
});

test('--export otlp pushes the final maps when the run ends; the receiver decodes them with the official protos', async (t) => {
  t.timeout(300_000);
  const receiver = await startOtlpReceiver();
  t.teardown(() => receiver.close());
  const getppid = namedGetppid(t, 'ppid-otlp');
  const r = await bpfscript(['-q', '--export', `otlp=${receiver.url}`, '-e', script('ppid-otlp'), '-c', `${getppid} 250`], { timeoutMs: 120_000 });
  t.is(r.code, 0, r.stderr);
  // The maps at exit are printed as always.
  t.regex(r.stdout, /^@calls\[ppid-otlp\]: 250$/m);
  const last = receiver.requests.at(-1);
  t.truthy(last, 'no push arrived');
  const metrics = otlpMetrics(last!);
  const point = metrics.get('bpfscript_calls')?.sum?.dataPoints[0];
  t.is(point?.asDouble, 250);
  t.deepEqual(otlpAttributes(point!), { key0: 'ppid-otlp' });
  const seq = metrics.get('bpfscript_seq')?.histogram?.dataPoints[0];
  t.is(seq?.count, '250');
  t.deepEqual(seq?.explicitBounds, [1, 3, 7, 15, 31, 63, 127, 255]);
  // 1 in [1, 2), 2-3 in [2, 4) ... 128-250 in [128, 256); nothing above.
  t.deepEqual(seq?.bucketCounts, ['1', '2', '4', '8', '16', '32', '64', '123', '0']);
});

// bin/bpfscript keeps NODE_EXTRA_CA_CERTS from Node's start (lib/host/extra-ca-certs.ts): the
// exporter must still trust its certificates, and only those.
test('--export otlp over https trusts the certificates NODE_EXTRA_CA_CERTS names, read when it connects', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-otlp-tls-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tls = selfSignedCertificate(dir);
  const receiver = await startOtlpReceiver({ tls });
  t.teardown(() => receiver.close());
  t.true(receiver.url.startsWith('https://'));
  const getppid = namedGetppid(t, 'ppid-otlps');
  const run = (env: Record<string, string>) =>
    bpfscript(['-q', '--export', `otlp=${receiver.url}`, '-e', script('ppid-otlps'), '-c', `${getppid} 20`], { timeoutMs: 120_000, env });

  const trusted = await run({ NODE_EXTRA_CA_CERTS: tls.cert });
  t.is(trusted.code, 0, trusted.stderr);
  t.notRegex(trusted.stderr, /OTLP export .* failed/);
  const last = receiver.requests.at(-1);
  t.truthy(last, 'no push arrived');
  t.is(otlpMetrics(last!).get('bpfscript_calls')?.sum?.dataPoints[0]?.asDouble, 20);

  // Without the certificate the receiver is not trusted: the push fails, with a warning.
  const pushes = receiver.requests.length;
  const untrusted = await run({ NODE_EXTRA_CA_CERTS: join(dir, 'missing.pem') });
  t.is(untrusted.code, 0, untrusted.stderr);
  t.regex(untrusted.stderr, /^Warning: Ignoring extra certs from `.*missing\.pem`, load failed: /m);
  t.regex(untrusted.stderr, /^WARNING: OTLP export to https:\/\/127\.0\.0\.1:\d+\/v1\/metrics failed: /m);
  t.is(receiver.requests.length, pushes);
});

test('--export prometheus on an address in use fails before attaching, naming the address', async (t) => {
  t.timeout(300_000);
  const holder = startBpfscript(['--export', 'prometheus=127.0.0.1:0', '-e', 'interval:s:1 { @x = count(); }']);
  t.teardown(() => holder.stop());
  const url = await until('the metrics address', 120_000, async () => /Serving metrics on (http:\/\/\S+)/.exec(holder.stderr())?.[1]);
  const taken = new URL(url).host;
  const r = await bpfscript(['--export', `prometheus=${taken}`, '-e', 'interval:s:1 { @x = count(); }'], { timeoutMs: 120_000 });
  t.is(r.code, 1);
  t.is(r.stderr, `ERROR: cannot serve metrics on ${taken}: EADDRINUSE\n`);
});
