// PCAP files as skboutput() writes them, read back field by field: the
// 24-byte global header (magic, version 2.4, snaplen, link type RAW) and one
// 16-byte record header (seconds, microseconds, lengths) per packet.
import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LINKTYPE_RAW, PcapWriter } from '../../../plugins/builtins/pcap.ts';

test('a file with two packets: the global header, then each record with its time and bytes', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'bpfscript-pcap-')), 'x.pcap');
  const w = new PcapWriter(path);
  w.write(1_700_000_000_123_456_789n, Uint8Array.from([0x45, 0, 0, 20]));
  w.write(1_700_000_001_000_000_999n, new Uint8Array(0));
  w.close();
  const b = readFileSync(path);
  t.is(b.length, 24 + 16 + 4 + 16);
  t.is(b.readUInt32LE(0), 0xa1b2c3d4);
  t.deepEqual([b.readUInt16LE(4), b.readUInt16LE(6)], [2, 4]);
  t.deepEqual([b.readInt32LE(8), b.readUInt32LE(12), b.readUInt32LE(16), b.readUInt32LE(20)], [0, 0, 65535, LINKTYPE_RAW]);
  t.deepEqual([b.readUInt32LE(24), b.readUInt32LE(28), b.readUInt32LE(32), b.readUInt32LE(36)], [1_700_000_000, 123_456, 4, 4]);
  t.deepEqual([...b.subarray(40, 44)], [0x45, 0, 0, 20]);
  t.deepEqual([b.readUInt32LE(44), b.readUInt32LE(48), b.readUInt32LE(52), b.readUInt32LE(56)], [1_700_000_001, 0, 0, 0]);
  // Made again (a second run): emptied, with only its header.
  new PcapWriter(path).close();
  t.is(readFileSync(path).length, 24);
});
