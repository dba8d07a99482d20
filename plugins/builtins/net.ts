// The network intrinsics of stdlib/net.bt: `__builtin_pton("addr")`, an IP
// address's bytes known at compile time, and `__builtin_skboutput(...)`, which
// sends a packet's bytes to user space, where they are written to a PCAP file.
import { types, type Action, type ActionHandler, type Builtin, type NewAction, type ValueType } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { expectArgs, exprArg } from './define.ts';
import { parseIpAddress } from './inet.ts';
import { PcapWriter } from './pcap.ts';

const uint8 = types.intType(1, false);

function addressBytes(text: string, fail: (message: string) => never): number[] {
  const family = text.includes(':') ? 6 : text.includes('.') ? 4 : undefined;
  if (!family) return fail(`pton() expects an string argument of an IPv4/IPv6 address, got ${text}`);
  return parseIpAddress(text, family) ?? fail(`pton() expects a valid IPv4/IPv6 address, got ${text}`);
}

function bytesType(n: number): ValueType {
  return { kind: 'array', element: uint8, length: n, size: n };
}

const pton: Builtin = {
  name: '__builtin_pton',
  doc: `:variant uint8[4] __builtin_pton(const string addr_v4)
:variant uint8[16] __builtin_pton(const string addr_v6)
**compile time**

The bytes of an IP address written as text, in network order: 4 for IPv4,
16 for IPv6 (the text has a \`:\`). The \`pton()\` macro checks its argument
and calls it.`,
  check(args, tc, span) {
    expectArgs('pton', args, 1, 1, tc, span);
    const a = args[0]!;
    if (a.kind !== 'String') return tc.fail('pton() expects an string literal at the first argument', a.span);
    return bytesType(addressBytes(a.value, (m) => tc.fail(m, a.span)).length);
  },
  emit(args, ec) {
    const a = args[0]!;
    if (a.kind !== 'String') throw new Error('pton() argument was checked to be a string literal');
    const bytes = addressBytes(a.value, (m) => {
      throw new Error(m);
    });
    return `((${ec.ctype(bytesType(bytes.length))}){ .a = { ${bytes.join(', ')} } })`;
  },
};

/**
 * The most bytes of one packet skboutput() sends: the record is built in a
 * per-CPU map value, which the kernel keeps to 32 KiB, header included.
 */
export const SKB_MAX_CAPTURE = 32768 - 24;

/** skboutput(): records `{ u64 id; u64 boot_ns; u32 len; u32 pad; u8 data[len] }` (variable length). */
export interface SkbOutputAction extends Action {
  kind: 'skboutput';
  /** The PCAP file, as the script names it (relative to bpfscript's working directory). */
  path: string;
}

const SKB_RECORD = `struct bs_skb_record {
  __u64 id;
  __u64 ns;
  __u32 len;
  __u32 pad;
  __u8 data[${SKB_MAX_CAPTURE}];
};
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct bs_skb_record);
} bs_skb_scratch SEC(".maps");
`;

const skboutput: Builtin = {
  name: '__builtin_skboutput',
  doc: `:variant int64 __builtin_skboutput(const string path, void * data, uint64 available, uint64 length, uint64 offset)
Sends bytes \`offset\` to \`length\` of the \`available\` bytes at \`data\` (read
from kernel memory, at most 32744) as one packet of the PCAP file \`path\`,
with the time (boot clock); 0, or a negative error when the bytes cannot be
read or the ring buffer is full. The \`skboutput()\` macro reads a socket
buffer's head and calls it.`,
  check(args, tc, span) {
    expectArgs('__builtin_skboutput', args, 5, 5, tc, span);
    if (args[0]!.kind !== 'String') tc.fail('__builtin_skboutput(): the path must be a string literal', args[0]!.span);
    const data = tc.typeOf(exprArg(args[1]!, tc));
    if (data.kind !== 'pointer' && data.kind !== 'int') tc.fail(`__builtin_skboutput(): data must be a pointer, got ${types.typeName(data)}`, args[1]!.span);
    for (const a of args.slice(2)) {
      const t = tc.typeOf(exprArg(a, tc));
      if (t.kind !== 'int') tc.fail(`__builtin_skboutput(): lengths must be integers, got ${types.typeName(t)}`, a.span);
    }
    return types.int64;
  },
  emit(args, ec) {
    const [path, data, available, length, offset] = args as Expr[];
    const id = ec.action({ kind: 'skboutput', path: (path as Extract<Expr, { kind: 'String' }>).value } satisfies NewAction<SkbOutputAction>);
    ec.declare(SKB_RECORD);
    // Lengths stay in 64-bit locals, clamped: the verifier needs their bounds for the read and the output.
    return `({ __u32 __sz = 0; long __sret = -12; struct bs_skb_record *__sr = bpf_map_lookup_elem(&bs_skb_scratch, &__sz);
  if (__sr) {
    __u64 __slen = (${ec.expr(length!)}), __savail = (${ec.expr(available!)}), __soff = (${ec.expr(offset!)});
    if (__slen > __savail) __slen = __savail;
    __slen = __soff < __slen ? __slen - __soff : 0;
    if (__slen > ${SKB_MAX_CAPTURE}) __slen = ${SKB_MAX_CAPTURE};
    __sr->id = ${id}; __sr->ns = bpf_ktime_get_boot_ns(); __sr->len = __slen;
    __sret = __slen ? bpf_probe_read_kernel(__sr->data, __slen, (const void *)((__u64)(${ec.expr(data!)}) + __soff)) : 0;
    if (__sret == 0) { __sret = bpf_ringbuf_output(&bs_events, __sr, __builtin_offsetof(struct bs_skb_record, data) + __slen, 0); if (__sret) bs_drop(); }
  }
  (__s64)__sret; })`;
  },
};

export const netBuiltins: Builtin[] = [pton, skboutput];

/** Offsets in a skboutput record. */
const NS_AT = 8;
const LEN_AT = 16;
const DATA_AT = 24;

/** Writes each packet to its PCAP file; the files are made (emptied) when the run starts, as upstream makes them. */
const skboutputHandler: ActionHandler<SkbOutputAction> = {
  kind: 'skboutput',
  open(session) {
    const writers = new Map<string, PcapWriter | undefined>();
    for (const action of session.manifest.actions) {
      if (action.kind !== 'skboutput' || writers.has((action as SkbOutputAction).path)) continue;
      const path = (action as SkbOutputAction).path;
      try {
        writers.set(path, new PcapWriter(path));
      } catch (e) {
        session.writer.err(`ERROR: skboutput: cannot write '${path}': ${(e as Error).message}\n`);
        writers.set(path, undefined);
      }
    }
    return {
      handle(action, record) {
        const { view, offset } = record;
        const len = view.getUint32(offset + LEN_AT, true);
        const bytes = new Uint8Array(view.buffer, view.byteOffset + offset + DATA_AT, len);
        const ns = view.getBigUint64(offset + NS_AT, true) + session.bootToRealtimeNs;
        writers.get(action.path)?.write(ns, bytes);
      },
      finish() {
        for (const w of writers.values()) w?.close();
      },
    };
  },
};

export const netHandlers: ActionHandler[] = [skboutputHandler];
