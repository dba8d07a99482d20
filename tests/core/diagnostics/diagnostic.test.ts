// How a diagnostic quotes its line: as it is for text, escaped and cut to an
// excerpt around the span when the line holds bytes a terminal would act on.
import test from 'ava';
import { formatDiagnostic, type Span } from '../../../core/diagnostics/index.ts';

const at = (line: number, col: number, endCol: number): Span => ({ file: 'f.bt', line, col, endLine: line, endCol });

test('a text line is quoted whole, tabs as four columns, whatever its length', (t) => {
  const long = `begin { ${'x'.repeat(200)} }`;
  t.is(formatDiagnostic({ severity: 'ERROR', message: 'm', span: at(1, 9, 12) }, new Map([['f.bt', long]])), `f.bt:1:9-12: ERROR: m\n${long}\n        ~~~\n`);
  t.is(formatDiagnostic({ severity: 'ERROR', message: 'm', span: at(1, 2, 3) }, new Map([['f.bt', '\tx']])), 'f.bt:1:2-3: ERROR: m\n    x\n    ~\n');
});

test('control characters are shown escaped, the marker under the span still', (t) => {
  const src = '\x01\x1b[31m begin{}';
  t.is(formatDiagnostic({ severity: 'ERROR', message: 'm', span: at(1, 8, 13) }, new Map([['f.bt', src]])),
    'f.bt:1:8-13: ERROR: m\n\\x01\\x1b[31m begin{}\n             ~~~~~\n');
});

test('a binary line becomes an excerpt of at most 80 columns around the span, never a raw byte', (t) => {
  const bytes = `\x7fELF${'\x00'.repeat(100)}\ufffd${'\x02'.repeat(100)}begin${'\x00'.repeat(300)}`;
  const out = formatDiagnostic({ severity: 'ERROR', message: 'unexpected \x1b', span: at(1, 206, 211) }, new Map([['f.bt', bytes]]));
  const [head, text, marker] = out.split('\n');
  t.is(head, 'f.bt:1:206-211: ERROR: unexpected \\x1b');
  t.regex(text!, /^\.\.\.(\\x02){8}begin(\\x00)+\.\.\.$/);
  t.true(text!.length <= 86);
  t.is(marker, `${' '.repeat(3 + 8 * 4)}~~~~~`);
  t.notRegex(out, /[\x00-\x08\x0b-\x1f\x7f]/);
});
