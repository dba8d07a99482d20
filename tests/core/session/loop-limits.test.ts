// A verifier refusal inside a script loop becomes an error on that loop: the
// log's last source annotation names the C line, the nearest loop marker above
// it names the loop.
import test from 'ava';
import { RuntimeError } from '../../../sdk/index.ts';
import { CompileError, type Span } from '../../../core/diagnostics/index.ts';
import { loopLimitError } from '../../../core/session/loop-limits.ts';

const span = (line: number, col: number): Span => ({ file: 'stdin', line, col, endLine: line, endCol: col + 10 });
const c = [
  'SEC("perf_event")', // 1
  'int bs_probe_0(void *ctx)', // 2
  '{', // 3
  '  while (bpf_iter_num_next(&__it0)) { /* bs_loop 0 */', // 4
  '    v_t += v_s.s[v_i % 8];', // 5
  '    for (v_j = 0; v_j < 3; v_j++) { /* bs_loop 1 */', // 6
  '      v_t++;', // 7
  '    }', // 8
  '  }', // 9
  '  return 0;', // 10
  '}', // 11
].join('\n');
const unit = { c, loops: [span(1, 42), span(1, 70)] };

function refusal(line: number, last = 'BPF program is too large. Processed 1000001 insn\nprocessed 1000001 insns (limit 1000000) max_states_per_insn 65'): RuntimeError {
  const verifierLog = [
    '; v_t += v_s.s[v_i % 8]; @ 3c9f7d.5397.c:5',
    '14: (18) r2 = 0xffff8881345c2b38',
    `; while (bpf_iter_num_next(&__it0)) { /* bs_loop 0 */ @ 3c9f7d.5397.c:${line}`,
    '23: (85) call bpf_iter_num_next#63678',
    last,
  ].join('\n');
  return new RuntimeError('failed to load BPF object', { op: 'bpf_object__load', errno: 7, code: 'E2BIG', verifierLog });
}

test('the instruction limit reached in a loop is an error on that loop, the innermost one above the line', (t) => {
  const outer = loopLimitError(refusal(5), unit);
  t.true(outer instanceof CompileError);
  t.deepEqual(outer!.diagnostics[0], { severity: 'ERROR', message: 'the BPF verifier refused this loop: it gave up after 1000000 instructions', span: span(1, 42) });
  t.is(outer!.diagnostics[1]!.severity, 'HINT');
  t.deepEqual(loopLimitError(refusal(7), unit)!.diagnostics[0]!.span, span(1, 70));
  t.is(loopLimitError(refusal(4, 'infinite loop detected at insn 23'), unit)!.diagnostics[0]!.message, 'the BPF verifier refused this loop: it cannot prove that the loop ends');
});

test('other refusals and programs without loops keep the runtime error; a stop past the loop names it', (t) => {
  t.is(loopLimitError(refusal(5, 'R1 invalid mem access'), unit), undefined);
  // Past the loop (code reached once per iteration): the loop of the last line inside one.
  t.deepEqual(loopLimitError(refusal(10), unit)!.diagnostics[0]!.span, span(1, 42));
  t.is(loopLimitError(refusal(5), { c }), undefined);
  t.is(loopLimitError(new Error('x'), unit), undefined);
});
