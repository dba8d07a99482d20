// pton()'s parser: IP addresses from text as inet_pton(3) reads them.
import test from 'ava';
import { parseIpAddress } from '../../../plugins/builtins/inet.ts';

test('IPv4: four decimal numbers 0..255, no leading zeros', (t) => {
  t.deepEqual(parseIpAddress('127.0.0.1', 4), [127, 0, 0, 1]);
  t.deepEqual(parseIpAddress('255.255.255.0', 4), [255, 255, 255, 0]);
  for (const bad of ['1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.x', '', '1..2.3', '1.2.3.4 ']) t.is(parseIpAddress(bad, 4), undefined, bad);
});

test('IPv6: hex groups, one ::, a dotted IPv4 tail', (t) => {
  const hex = (text: string) => Buffer.from(parseIpAddress(text, 6) ?? []).toString('hex');
  t.is(hex('::1'), '00000000000000000000000000000001');
  t.is(hex('::'), '0'.repeat(32));
  t.is(hex('fe80::aB:1'), 'fe800000000000000000000000ab0001');
  t.is(hex('2001:db8:0:0:1:0:0:1'), '20010db8000000000001000000000001');
  t.is(hex('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
  t.is(hex('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
  for (const bad of ['1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '::1.2.3', '1:2:3:4:5:6:7::8:9']) t.is(parseIpAddress(bad, 6), undefined, bad);
});
