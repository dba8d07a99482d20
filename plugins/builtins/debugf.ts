// debugf(fmt, ...): bpf_trace_printk, the kernel's own debug print. The text
// goes to the trace pipe (/sys/kernel/tracing/trace_pipe), formatted in the
// kernel, not to bpfscript's output: at most 3 arguments, of the conversions
// the helper knows (d u x p for integers, s for strings), as upstream checks.
import { types, type Builtin, type EmitContext } from '../../sdk/index.ts';
import type { Expr } from '../../core/syntax/ast.ts';
import { checkPrintfArgs, parsePrintfFormat } from '../../lib/render/index.ts';
import { expectArgs, exprArg } from './define.ts';

const MAX_ARGS = 3;
const conversions: Record<string, 'int' | 'string'> = { d: 'int', u: 'int', x: 'int', p: 'int', s: 'string' };

/** A C string literal of the UTF-8 bytes of `text` (octal escapes for anything not plain ASCII). */
function cStringLiteral(text: string): string {
  let out = '"';
  for (const b of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(b);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (b >= 0x20 && b < 0x7f && ch !== '?') out += ch;
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

/** An argument as bpf_trace_printk takes it: a u64, or a pointer to a string's bytes. */
function printkArg(a: Expr, ec: EmitContext): string {
  const t = ec.typeOf(a);
  if (t.kind !== 'string') return `((__u64)(${ec.expr(a)}))`;
  const copy = ec.temp(t);
  return `(${copy} = ${ec.expr(a)}, (__u64)${copy}.s)`;
}

export const debugf: Builtin = {
  name: 'debugf',
  doc: `:variant void debugf(const string fmt, args...)
Formats its arguments in the kernel with the BPF helper \`trace_printk\` and
writes the line to the kernel's trace pipe (\`/sys/kernel/tracing/trace_pipe\`),
not to bpfscript's output. At most 3 arguments, of the conversions \`%d\`,
\`%u\`, \`%x\`, \`%p\` (integers, with \`l\`/\`ll\`) and \`%s\` (strings). Meant for
debugging: the trace pipe is shared by the whole system, and the helper is
slow, so bpfscript warns when it is used.

\`\`\`
tracepoint:syscalls:sys_enter_openat { debugf("open by %d: %s", pid, str(args.filename)); }
\`\`\``,
  statementOnly: true,
  check(args, tc, span) {
    expectArgs('debugf', args, 1, Infinity, tc, span);
    const fmt = args[0]!;
    if (fmt.kind !== 'String') return tc.fail(`debugf() expects a string literal (${types.typeName(tc.typeOf(exprArg(fmt, tc)))} provided)`, fmt.span);
    tc.warn('The debugf() builtin is not recommended for production use. For more information see bpf_trace_printk in bpf-helpers(7).', span);
    if (args.length - 1 > MAX_ARGS) tc.fail(`cannot use more than ${MAX_ARGS} conversion specifiers`, span);
    const parsed = parsePrintfFormat(fmt.value);
    const problem = checkPrintfArgs(parsed, args.slice(1).map((a) => tc.typeOf(exprArg(a, tc))));
    if (problem) tc.fail(problem, span);
    parsed.specs.forEach((spec, i) => {
      const want = conversions[spec.conversion];
      if (!want) return tc.fail(`Invalid format specifier for \`debugf\`: ${spec.conversion}`, fmt.span);
      const arg = args[i + 1]!;
      const t = tc.typeOf(exprArg(arg, tc));
      const ok = want === 'string' ? t.kind === 'string' : t.kind === 'int' || t.kind === 'bool' || t.kind === 'pointer';
      if (!ok) tc.fail(`Type does not match format specifier: ${spec.conversion}`, arg.span);
    });
    return types.noneType;
  },
  emit(args, ec) {
    const fmt = args[0] as Extract<Expr, { kind: 'String' }>;
    const values = args.slice(1).map((a) => printkArg(a as Expr, ec));
    return `({ static const char __dfmt[] = ${cStringLiteral(fmt.value)}; bpf_trace_printk(__dfmt, sizeof(__dfmt)${values.map((v) => `, ${v}`).join('')}); })`;
  },
};
