// A program the verifier refuses because a loop of the script is too much for
// it (it followed the loop iteration by iteration up to its limit of
// instructions, or found it may not end) becomes an error on that loop, in the
// script's words, rather than the verifier's log. The log's last source
// annotation (`; <C line> @ <file>.c:<n>`) inside a loop names the generated C
// line; the innermost loop marker around it (codegen's loopMarker) names the
// script's loop.
import { RuntimeError } from '../../sdk/index.ts';
import { CompileError, type Span } from '../diagnostics/index.ts';
import type { GeneratedUnit } from '../codegen/index.ts';

/** What the verifier says when a loop is too long or has no bound it can prove. */
const LOOP_REFUSALS = /BPF program is too large|processed \d+ insns \(limit \d+\)|infinite loop detected|back-edge from insn/;

export function loopLimitError(e: unknown, unit: Pick<GeneratedUnit, 'c' | 'loops'>): CompileError | undefined {
  const loops = unit.loops;
  if (!(e instanceof RuntimeError) || !e.verifierLog || !loops?.length) return undefined;
  const log = e.verifierLog;
  if (!LOOP_REFUSALS.test(log)) return undefined;
  // The last annotated line inside a loop: the verifier may stop past the loop, in code it reaches once per iteration.
  const annotations = [...log.matchAll(/^; .* @ \S+\.c:(\d+)$/gm)].reverse();
  const span = annotations.map((a) => loopAbove(unit.c, Number(a[1]), loops)).find((l) => l !== undefined);
  if (!span) return undefined;
  const limit = /\(limit (\d+)\)/.exec(log)?.[1];
  const why = limit ? `it gave up after ${limit} instructions` : 'it cannot prove that the loop ends';
  return new CompileError([
    { severity: 'ERROR', message: `the BPF verifier refused this loop: ${why}`, span },
    {
      severity: 'HINT',
      message: 'the verifier follows a loop iteration by iteration while a value that changes each time is used as an index or a size: fewer iterations, or such a value kept out of the loop, let it load',
    },
  ]);
}

/**
 * The span of the innermost script loop whose block holds C line `line`
 * (1-based): the loop header on that line, or an enclosing block opened by a
 * marked line above it, found by matching braces upward within the function.
 */
function loopAbove(c: string, line: number, loops: readonly Span[]): Span | undefined {
  const lines = c.split('\n');
  const markerOf = (text: string) => /\/\* bs_loop (\d+) \*\//.exec(text);
  const own = markerOf(lines[line - 1] ?? '');
  if (own) return loops[Number(own[1])];
  let unclosed = 0;
  for (let i = Math.min(line, lines.length) - 2; i >= 0; i--) {
    const text = lines[i]!;
    if (/^(?:int|static long) bs_probe_/.test(text)) return undefined;
    for (let k = text.length - 1; k >= 0; k--) {
      if (text[k] === '}') unclosed++;
      else if (text[k] === '{' && unclosed-- === 0) {
        // This brace opens a block around the line: a loop's, or another (if, a plain block).
        const marker = markerOf(text);
        if (marker) return loops[Number(marker[1])];
        unclosed = 0;
      }
    }
  }
  return undefined;
}
