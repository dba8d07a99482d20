// stdlib/net.bt against the kernel: ntop() and macaddr() make their text in
// BPF (stdlib/net/net.bpf.c), pton() folds at compile time, socket_cookie()
// of a socket the test opens matches what `ss` reports, and skboutput() of a
// UDP exchange the test makes writes a PCAP file that tcpdump reads.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, cli, repoRoot } from '../helpers/run.ts';

const text = (program: string) => bpfscript(['-q', '-e', program]);

async function json(program: string) {
  const r = await bpfscript(['-q', '-f', 'json', '-e', program]);
  return r.stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('ntop: integers and 4 bytes are IPv4, 16 bytes IPv6, as inet_ntop(3) writes them; an explicit family', async (t) => {
  const r = await text('begin { printf("%s %s %s %s|", ntop(1), ntop(0x0100007f), ntop(0xffff0000), ntop(0x0000ffff)); printf("%s %s %s|", ntop(2, pton("127.0.0.1")), ntop(10, pton("::1")), ntop(7, 1)); exit(); }');
  t.is(r.stdout, '1.0.0.0 127.0.0.1 0.0.255.255 255.255.0.0|127.0.0.1 ::1 |\n\n');
  // Compression of the longest (first) run of zero groups, IPv4-mapped and -compatible tails, as glibc.
  const v6 = await text([
    'begin { printf("%s %s %s ", ntop(pton("::")), ntop(pton("1::")), ntop(pton("::1.2.3.4"))); }',
    'begin { printf("%s %s %s ", ntop(pton("2001:db8:0:0:1:0:0:1")), ntop(pton("0:0:1:0:0:0:1:0")), ntop(pton("::ffff:0:0"))); }',
    'begin { printf("%s %s %s\\n", ntop(pton("1:0:1:0:1:0:1:0")), ntop(pton("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255")), ntop(pton("fe80::AB:cd"))); exit(); }',
  ].join(' '));
  t.is(v6.stdout, ':: 1:: ::1.2.3.4 2001:db8::1:0:0:1 0:0:1::1:0 ::ffff:0.0.0.0 1:0:1:0:1:0:1:0 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff fe80::ab:cd\n\n\n');
});

test('pton folds to bytes in network order; ntop and macaddr give strings, in text and JSON', async (t) => {
  const r = await text('begin { print(pton("10.1.2.3")); printf("%x\\n", (uint32)pton("127.0.0.1")); @[ntop(pton("::1"))] = 1; @m = macaddr(pton("504:302:102::")); exit(); }');
  t.is(r.stdout, '[10,1,2,3]\n100007f\n\n\n@[::1]: 1\n@m: 05:04:03:02:01:02\n');
  t.deepEqual(await json('begin { print(ntop(0x0100007f)); @a[ntop(pton("fe80::1"))] = 1; @m = macaddr(pton("504:302:102::")); exit(); }'), [
    { type: 'value', data: '127.0.0.1' },
    { type: 'map', data: { '@a': { 'fe80::1': 1 } } },
    { type: 'map', data: { '@m': '05:04:03:02:01:02' } },
  ]);
});

test('ntop, pton and macaddr misuse: upstream\'s messages, at the macro and its call', async (t) => {
  const cases: [string, RegExp][] = [
    ['begin { print(ntop(curtask)); }', /ERROR: ntop\(\) expects an integer or array argument, got pointer\n/],
    ['begin { print(ntop("hello")); }', /ERROR: ntop\(\) argument must be 4 or 16 bytes in size\n/],
    ['begin { print(ntop("x", 1)); }', /ERROR: ntop\(\) only supports integer arguments \(string provided\)\n/],
    ['begin { print(pton("1.2.3")); }', /^stdin:1:20-27: ERROR: pton\(\) expects a valid IPv4\/IPv6 address, got 1\.2\.3\n/],
    ['begin { print(pton("abc")); }', /ERROR: pton\(\) expects an string argument of an IPv4\/IPv6 address, got abc\n/],
    ['begin { $a = "1.2.3.4"; print(pton($a)); }', /ERROR: pton\(\) expects an string literal at the first argument\n/],
    ['begin { print(macaddr("abcdef")); }', /ERROR: macaddr\(\) does not support literal string arguments\n/],
    ['begin { print(macaddr(pton("1.2.3.4"))); }', /ERROR: macaddr\(\) argument must be at least 6 bytes in size\n/],
    ['begin { print(macaddr((1, 2))); }', /ERROR: macaddr\(\) only supports array or pointer arguments \(tuple provided\)\n/],
  ];
  for (const [program, message] of cases) {
    const r = await bpfscript(['-e', program]);
    t.is(r.code, 1, program);
    t.regex(r.stderr, message, program);
    // pton()'s intrinsic reports at the argument itself; the others in the macro, then at the call.
    if (!program.includes('pton(')) t.regex(r.stderr, /ERROR: in expansion of macro '(ntop|macaddr)'/, program);
  }
});

test('socket_cookie() of a listening socket (iter:tcp) is the cookie ss reports; refused where the helper cannot run', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const r = await text(`iter:tcp /ctx.sk_common->skc_num == ${port}/ { printf("%llu %llu\\n", socket_cookie((struct sock *)ctx.sk_common), socket_cookie((struct sock *)ctx.sk_common)); }`);
    const [a, b] = r.stdout.trim().split(' ').map(BigInt);
    t.is(a, b, 'the cookie is stable');
    const ss = execFileSync('ss', ['-tlneH', `sport = :${port}`], { encoding: 'utf8' });
    const cookie = /\bsk:([0-9a-f]+)/.exec(ss)?.[1];
    t.truthy(cookie, ss);
    t.is(a, BigInt(`0x${cookie}`));
  } finally {
    server.close();
  }
  const tp = await bpfscript(['-e', 'tracepoint:sock:inet_sock_set_state { print(socket_cookie((struct sock *)args.skaddr)); }']);
  t.regex(tp.stderr, /ERROR: socket_cookie can not be used with "tracepoint" probes\n/);
  const int = await bpfscript(['-e', 'iter:tcp { print(socket_cookie(pid)); }']);
  t.regex(int.stderr, /ERROR: socket_cookie\(\) only supports 'struct sock \*' as the argument \(uint32 provided\)\n/);
});

/** Runs the CLI; once its probes are attached, calls `attached` (which may send traffic). */
function runAttached(args: string[], attached: () => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!started && /Attached \d+ probe/.test(stderr)) {
        started = true;
        attached().catch(reject);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Sends UDP datagrams from this process to a socket of its own on 127.0.0.1. */
async function udpExchange(payloads: string[]): Promise<void> {
  const receiver = createSocket('udp4');
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const sender = createSocket('udp4');
  for (const p of payloads) {
    await new Promise<void>((resolve, reject) => sender.send(p, receiver.address().port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  }
  sender.close();
  receiver.close();
}

interface PcapPacket {
  seconds: number;
  bytes: Buffer;
}

function readPcap(path: string): { linkType: number; packets: PcapPacket[] } {
  const b = readFileSync(path);
  const packets: PcapPacket[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = b.readUInt32LE(o + 8);
    packets.push({ seconds: b.readUInt32LE(o), bytes: b.subarray(o + 16, o + 16 + len) });
    o += 16 + len;
  }
  return { linkType: b.readUInt32LE(20), packets };
}

test('skboutput() writes the packets of a UDP exchange to a PCAP file that tcpdump reads', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-skb-'));
  const pcap = join(dir, 'udp.pcap');
  const payloads = ['bpfscript-skb-one', 'bpfscript-skb-two!', 'bpfscript-skb-three'];
  // net_dev_queue runs in the sender (this test process), before the device takes the loopback header off.
  const program = `tracepoint:net:net_dev_queue /pid == ${process.pid}/ { @r[skboutput("${pcap}", args.skbaddr, args.len, 14)] = count(); @n++; if (@n == ${payloads.length}) { exit(); } }`;
  const before = Math.floor(Date.now() / 1000);
  const r = await runAttached(['-e', program], () => udpExchange(payloads));
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `\n\n@n: 3\n@r[0]: 3\n`);
  const { linkType, packets } = readPcap(pcap);
  t.is(linkType, 101);
  t.is(packets.length, 3);
  packets.forEach((p, i) => {
    // IPv4, UDP, 127.0.0.1 to 127.0.0.1, the datagram's own payload after the 8-byte UDP header.
    t.is(p.bytes[0]! >> 4, 4);
    t.is(p.bytes[9], 17);
    t.deepEqual([...p.bytes.subarray(12, 20)], [127, 0, 0, 1, 127, 0, 0, 1]);
    t.is(p.bytes.subarray(28).toString(), payloads[i]);
    t.true(Math.abs(p.seconds - before) < 120, `${p.seconds} vs ${before}`);
  });
  let tcpdump: string;
  try {
    tcpdump = execFileSync('tcpdump', ['-n', '-r', pcap], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return t.fail(`tcpdump -r failed (bin/setup installs tcpdump): ${(e as Error).message}`);
  }
  const lines = tcpdump.trim().split('\n');
  t.is(lines.length, 3);
  lines.forEach((l, i) => t.regex(l, new RegExp(`IP 127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.\\d+: UDP, length ${payloads[i]!.length}$`)));
});

test('skboutput() misuse: a path that is not a literal, a non-pointer buffer', async (t) => {
  const path = await bpfscript(['-e', 'tracepoint:net:net_dev_queue { $p = "x"; skboutput($p, args.skbaddr, 1, 0); }']);
  t.regex(path.stderr, /ERROR: skboutput\(\) expects a string literal \(string provided\)\n/);
  const skb = await bpfscript(['-e', 'tracepoint:net:net_dev_queue { skboutput("x.pcap", "skb", 1, 0); }']);
  t.regex(skb.stderr, /ERROR: skboutput\(\) only supports pointer arguments \(string provided\)\n/);
});
