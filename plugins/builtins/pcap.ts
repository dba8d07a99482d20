// PCAP files (the format tcpdump and Wireshark read): a 24-byte global header,
// then per packet a 16-byte record header (seconds, microseconds, captured and
// original length) and the bytes. Little-endian, microsecond timestamps,
// link type RAW (101): each packet starts with its IP header, as upstream's
// skboutput files do.
import { closeSync, openSync, writeSync } from 'node:fs';

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_RAW = 101;
export const PCAP_SNAPLEN = 65535;

export function pcapGlobalHeader(linkType: number = LINKTYPE_RAW, snaplen: number = PCAP_SNAPLEN): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt32LE(PCAP_MAGIC, 0);
  h.writeUInt16LE(2, 4); // version 2.4
  h.writeUInt16LE(4, 6);
  h.writeInt32LE(0, 8); // GMT offset
  h.writeUInt32LE(0, 12); // timestamp accuracy
  h.writeUInt32LE(snaplen, 16);
  h.writeUInt32LE(linkType, 20);
  return h;
}

/** One packet's record: its header and bytes; `realtimeNs` is the wall-clock time in nanoseconds. */
export function pcapRecord(realtimeNs: bigint, packet: Uint8Array): Buffer {
  const h = Buffer.alloc(16 + packet.length);
  h.writeUInt32LE(Number(realtimeNs / 1_000_000_000n), 0);
  h.writeUInt32LE(Number((realtimeNs % 1_000_000_000n) / 1000n), 4);
  h.writeUInt32LE(packet.length, 8);
  h.writeUInt32LE(packet.length, 12);
  h.set(packet, 16);
  return h;
}

/** A PCAP file being written: created (or emptied) with its header, one record per packet. */
export class PcapWriter {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o644);
    writeSync(this.fd, pcapGlobalHeader());
  }

  write(realtimeNs: bigint, packet: Uint8Array): void {
    if (this.fd !== undefined) writeSync(this.fd, pcapRecord(realtimeNs, packet));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
