// Reading memory (str, buf) and the process values not in stdlib/task.bt
// (cpid, also spelled as upstream's intrinsic `__builtin_cpid`, and rand).
import { types, type Builtin } from '../../sdk/index.ts';
import { expectArgs, exprArg, valueBuiltin, withDoc } from './define.ts';

const { uint32, uint64 } = types;

/**
 * The size of `str(p[, len])`'s string: `len + 1` for a literal length (at
 * most max_strlen, as upstream: the read takes `len` bytes, NUL included),
 * else max_strlen.
 */
function strSize(len: bigint | undefined, maxStrlen: number): number {
  return len !== undefined && len >= 0n && len + 1n <= BigInt(maxStrlen) ? Number(len) + 1 : maxStrlen;
}

const str: Builtin = {
  name: 'str',
  doc: `:variant string str(char * data [, uint32 length])
Reads the NUL-terminated string at \`data\` (user memory first, then kernel
memory). At most \`max_strlen\` bytes (config, default 64) are kept, or
\`length - 1\` when \`length\` is given and smaller. A string that did not fit
prints with the \`str_trunc_trailer\` (config, default \`..\`) after it. A
string value is returned as it is.

\`\`\`
tracepoint:syscalls:sys_enter_openat { printf("%s %s\\n", comm, str(args.filename)); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('str', args, 1, 2, tc, span);
    const t = tc.typeOf(exprArg(args[0], tc));
    if (t.kind === 'string') return t;
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`str() expects a pointer or integer argument, got ${types.typeName(t)}`, args[0].span);
    if (!args[1]) return types.stringType(tc.config.maxStrlen);
    const n = tc.typeOf(exprArg(args[1], tc));
    if (n.kind !== 'int') tc.fail('str() length must be an integer', args[1].span);
    const len = tc.constant(exprArg(args[1], tc));
    if (len !== undefined && len < 0n) tc.fail(`str() cannot use negative length (${len})`, args[1].span);
    if (len !== undefined && len + 1n > BigInt(tc.config.maxStrlen)) {
      tc.warn(`length param (${len}) is too long and will be shortened to ${tc.config.maxStrlen} bytes (see BPFTRACE_MAX_STRLEN)`, args[1].span);
    }
    return types.stringType(strSize(len, tc.config.maxStrlen));
  },
  emit(args, ec, span) {
    const first = args[0] as Parameters<typeof ec.expr>[0];
    const t = ec.typeOf(first);
    if (t.kind === 'string') return ec.expr(first);
    const lenArg = args[1] as Parameters<typeof ec.expr>[0] | undefined;
    const read = strRead(ec.config.maxStrlen, lenArg ? ec.constant(lenArg) : undefined, lenArg !== undefined);
    const st = ec.ctype(types.stringType(read.size));
    const len = lenArg ? `({ __u64 __l = (${ec.expr(lenArg)}); __l > ${read.limit} ? ${read.limit} : __l; })` : `${read.limit}`;
    // User or kernel address: try user space first, as syscall tracepoint pointers are user pointers.
    // -k reports a failure only when neither address space could be read.
    const value = types.stringType(read.size);
    if (ec.inFrame(value)) {
      // A big string is read into a slot of the probe's frame, zeroed first (map keys compare every byte).
      const slot = ec.temp(types.stringType(read.buffer));
      const kernel = ec.checkHelper('probe_read_str', 'bpf_probe_read_kernel_str(__str->raw, __len, __ptr)', span);
      return `(*({ union { ${st} v; char raw[${read.buffer}]; } *__str = (void *)&${slot}; bs_big_zero(__str, sizeof(*__str)); __u32 __len = ${len}; const void *__ptr = (const void *)(__u64)(${ec.expr(first)}); if (bpf_probe_read_user_str(__str->raw, __len, __ptr) < 0) ${kernel}; &__str->v; }))`;
    }
    const kernelRead = ec.checkHelper('probe_read_str', 'bpf_probe_read_kernel_str(__str.raw, __len, __ptr)', span);
    return `({ union { ${st} v; char raw[${read.buffer}]; } __str = {}; __u32 __len = ${len}; const void *__ptr = (const void *)(__u64)(${ec.expr(first)}); if (bpf_probe_read_user_str(__str.raw, __len, __ptr) < 0) ${kernelRead}; __str.v; })`;
  },
};

/**
 * How str() reads, as upstream: into a buffer one byte longer than the string
 * (below 1024 bytes), so a string that fills the value lacks its NUL and
 * prints truncated. `limit` caps the bytes read (a given length is the read's
 * size, NUL included).
 */
export function strRead(maxStrlen: number, literalLength: bigint | undefined, hasLength: boolean): { size: number; limit: number; buffer: number } {
  const padded = maxStrlen < 1024 ? maxStrlen + 1 : maxStrlen;
  const size = hasLength ? strSize(literalLength, maxStrlen) : maxStrlen;
  // A literal length that fits reads `length` bytes into the string itself.
  if (literalLength !== undefined && literalLength >= 0n && literalLength + 1n <= BigInt(maxStrlen)) return { size, limit: size - 1, buffer: size };
  return { size, limit: padded, buffer: Math.max(size, padded) };
}

/**
 * `buf(p, len)`: `len` bytes at `p` (user or kernel memory) as a buffer,
 * printed escaped (`%r`, print) or as hex (`%rx`, `%rh`). `len` defaults to
 * the array's size when `p` is an array, and is capped by max_strlen.
 */
const buf: Builtin = {
  name: 'buf',
  doc: `:variant buffer buf(void * data, [int64 length])
Reads \`length\` bytes at \`data\` (user memory first, then kernel memory) into a
buffer, at most \`max_strlen\` of them. For an array value the length is
optional (the whole array) and must be a constant when given.

A buffer prints with \`%r\`: bytes 32 to 126 as ASCII, the others as \`\\x00\`
escapes; \`%rx\` prints every byte as \`\\xNN\`, \`%rh\` as hex pairs separated by
spaces (\`0a fe\`).

\`\`\`
tracepoint:syscalls:sys_enter_write { printf("%r\\n", buf(args.buf, args.count)); }
\`\`\``,
  check(args, tc, span) {
    expectArgs('buf', args, 1, 2, tc, span);
    const t = tc.typeOf(exprArg(args[0], tc));
    if (t.kind === 'array' || t.kind === 'string') {
      // A value already read (an array or char array): its bytes, or the first `len`.
      const n = args[1] ? tc.constant(exprArg(args[1], tc)) : undefined;
      if (args[1] && n === undefined) tc.fail('buf() of an array needs a constant length', args[1].span);
      return { kind: 'buffer', size: n !== undefined ? Math.max(0, Math.min(Number(n), t.size)) : t.size };
    }
    if (args.length === 1) tc.fail('buf() needs a length unless its argument is an array', span);
    if (t.kind !== 'int' && t.kind !== 'pointer') tc.fail(`buf() expects a pointer or integer argument, got ${types.typeName(t)}`, args[0].span);
    const n = tc.constant(exprArg(args[1], tc));
    if (tc.typeOf(exprArg(args[1], tc)).kind !== 'int') tc.fail('buf() length must be an integer', args[1].span);
    const size = n !== undefined ? Math.min(Number(n), tc.config.maxStrlen) : tc.config.maxStrlen;
    if (n !== undefined && n < 0n) tc.fail('buf() length must not be negative', args[1].span);
    return { kind: 'buffer', size };
  },
  emit(args, ec, span) {
    const first = args[0] as Parameters<typeof ec.expr>[0];
    const t = ec.typeOf(first);
    if (t.kind === 'array' || t.kind === 'string') {
      const n = args[1] ? ec.constant(args[1] as Parameters<typeof ec.expr>[0]) : undefined;
      const size = n !== undefined ? Math.max(0, Math.min(Number(n), t.size)) : t.size;
      const bt = ec.ctype({ kind: 'buffer', size });
      const src = ec.ctype(t);
      return `({ ${bt} __buf = {}; ${src} __bsrc = ${ec.expr(first)}; __buf.len = ${size}; __builtin_memcpy(__buf.data, &__bsrc, ${size}); __buf; })`;
    }
    const n = ec.constant(args[1] as Parameters<typeof ec.expr>[0]);
    const size = n !== undefined ? Math.min(Number(n), ec.config.maxStrlen) : ec.config.maxStrlen;
    const bt = ec.ctype({ kind: 'buffer', size });
    const len = `({ __u64 __bl = (${ec.expr(args[1] as Parameters<typeof ec.expr>[0])}); __bl > ${size} ? ${size} : __bl; })`;
    // The length stays in a 64-bit local: the verifier keeps its bound across both calls.
    const read = ec.checkHelper('probe_read', 'bpf_probe_read_kernel(__buf.data, __bn, __bptr)', span);
    return `({ ${bt} __buf = {}; const void *__bptr = (const void *)(__u64)(${ec.expr(first)}); __u64 __bn = ${len}; __buf.len = __bn; if (__bn && bpf_probe_read_user(__buf.data, __bn, __bptr) < 0) ${read}; __buf; })`;
  },
};

const CPID_DOC = `:variant uint64 cpid()
The process ID of the command \`-c\` started. Using \`cpid\` without \`-c\` is a
compile error.

\`\`\`
bpfscript -c 'sleep 1' -e 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }'
\`\`\``;

function cpid(name: string): Builtin {
  return valueBuiltin(name, uint64, (ec) => ec.setting('cpid'), (tc, span) => {
    if (!tc.hasChildProcess) tc.fail('cpid cannot be used without child command', span);
  });
}

export const contextBuiltins: Builtin[] = [
  buf,
  withDoc(valueBuiltin('rand', uint32, '((__u32)bpf_get_prandom_u32())'), `:variant uint32 rand()
A pseudo-random number, from the BPF helper \`get_prandom_u32\`.`),
  withDoc(cpid('cpid'), CPID_DOC),
  withDoc(cpid('__builtin_cpid'), `:variant uint64 __builtin_cpid()
Upstream's intrinsic spelling of \`cpid\`, with the same value (and the same
error without \`-c\`).`),
  str,
];
