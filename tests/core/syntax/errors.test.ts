import test from 'ava';
import { CompileError } from '../../../core/diagnostics/index.ts';
import { parse } from '../../../core/syntax/index.ts';
import { diag } from './helpers.ts';

// Each row: source → the exact formatDiagnostic output.
const table: [string, string][] = [
  [
    'begin { @x[ }',
    'stdin:1:13-14: ERROR: syntax error, unexpected }\n' + 'begin { @x[ }\n' + '            ~\n',
  ],
  [
    'begin { $x = 1 $y = 2 }',
    'stdin:1:16-18: ERROR: syntax error, unexpected variable, expecting ; or }\n' +
      'begin { $x = 1 $y = 2 }\n' +
      '               ~~\n',
  ],
  [
    'begin { print(1) print(2) }',
    'stdin:1:18-23: ERROR: syntax error, unexpected identifier, expecting ; or }\n' +
      'begin { print(1) print(2) }\n' +
      '                 ~~~~~\n',
  ],
  [
    'begin {\n  $x = 1\n  $y = 2;\n}',
    'stdin:3:3-5: ERROR: syntax error, unexpected variable, expecting ; or }\n' + '  $y = 2;\n' + '  ~~\n',
  ],
  [
    'begin { $x = ; }',
    'stdin:1:14-15: ERROR: syntax error, unexpected ;\n' + 'begin { $x = ; }\n' + '             ~\n',
  ],
  [
    'begin { $x = 1; } }',
    'stdin:1:19-20: ERROR: syntax error, unexpected }\n' + 'begin { $x = 1; } }\n' + '                  ~\n',
  ],
  [
    'begin { $x = (1 }',
    'stdin:1:17-18: ERROR: syntax error, unexpected }, expecting ) or ,\n' + 'begin { $x = (1 }\n' + '                ~\n',
  ],
  [
    'begin { if (x) }',
    'stdin:1:16-17: ERROR: syntax error, unexpected }, expecting {\n' + 'begin { if (x) }\n' + '               ~\n',
  ],
  [
    'kprobe:f /pid == 1 { }',
    'stdin:1:20-21: ERROR: syntax error, unexpected {, expecting end predicate\n' +
      'kprobe:f /pid == 1 { }\n' +
      '                   ~\n',
  ],
  [
    'config = { a 1 }',
    'stdin:1:14-15: ERROR: syntax error, unexpected integer, expecting =\n' + 'config = { a 1 }\n' + '             ~\n',
  ],
  [
    'import "x"\nBEGIN {}',
    'stdin:2:1-6: ERROR: syntax error, unexpected identifier, expecting ;\n' + 'BEGIN {}\n' + '~~~~~\n',
  ],
  [
    'begin { let x = 1; }',
    'stdin:1:13-14: ERROR: syntax error, unexpected identifier, expecting variable\n' +
      'begin { let x = 1; }\n' +
      '            ~\n',
  ],
  [
    'begin { else }',
    'stdin:1:9-13: ERROR: syntax error, unexpected else\n' + 'begin { else }\n' + '        ~~~~\n',
  ],
  [
    'fn f($a) : void {}',
    'stdin:1:8-9: ERROR: syntax error, unexpected ), expecting :\n' + 'fn f($a) : void {}\n' + '       ~\n',
  ],
  [
    'begin { $x = (uint8) }',
    'stdin:1:22-23: ERROR: syntax error, unexpected }\n' + 'begin { $x = (uint8) }\n' + '                     ~\n',
  ],
  [
    'begin { $x = (struct x * }',
    'stdin:1:26-27: ERROR: syntax error, unexpected }, expecting )\n' +
      'begin { $x = (struct x * }\n' +
      '                         ~\n',
  ],
  [
    'begin { $x.y++; }',
    'stdin:1:13-15: ERROR: increment/decrement requires a variable or map\n' + 'begin { $x.y++; }\n' + '            ~~\n',
  ],
  [
    'begin { ++1; }',
    'stdin:1:11-12: ERROR: increment/decrement requires a variable or map\n' + 'begin { ++1; }\n' + '          ~\n',
  ],
  // tabs count as four columns in the quoted line and marker
  [
    '\tbegin {\t@x[ }',
    'stdin:1:14-15: ERROR: syntax error, unexpected }\n' + '    begin {    @x[ }\n' + '                   ~\n',
  ],
  // end of file: reported just after the last token
  ['begin {', 'stdin:1:8-9: ERROR: syntax error, unexpected end of file\n' + 'begin {\n' + '       \n'],
  [
    'kprobe:f',
    'stdin:1:9-10: ERROR: syntax error, unexpected end of file, expecting { or , or /\n' + 'kprobe:f\n' + '        \n',
  ],
  // lexical errors
  [
    'begin { "abc\\q" }',
    "stdin:1:13-15: ERROR: invalid escape character '\\q'\n" + 'begin { "abc\\q" }\n' + '            ~~\n',
  ],
  [
    'begin { "unterminated }',
    'stdin:1:9-24: ERROR: unterminated string\n' + 'begin { "unterminated }\n' + '        ~~~~~~~~~~~~~~~\n',
  ],
  [
    'begin { $x = 99999999999999999999; }',
    'stdin:1:14-34: ERROR: overflow error, maximum value is 18446744073709551615: 99999999999999999999\n' +
      'begin { $x = 99999999999999999999; }\n' +
      '             ~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'begin { $x = 18446744073709551616; }',
    'stdin:1:14-34: ERROR: overflow error, maximum value is 18446744073709551615: 18446744073709551616\n' +
      'begin { $x = 18446744073709551616; }\n' +
      '             ~~~~~~~~~~~~~~~~~~~~\n',
  ],
  [
    'begin { $x = 10zz; }',
    "stdin:1:16-18: ERROR: invalid integer suffix 'zz'\n" + 'begin { $x = 10zz; }\n' + '               ~~\n',
  ],
  [
    'begin { $x = `a`; }',
    "stdin:1:14-15: ERROR: invalid character '`'\n" + 'begin { $x = `a`; }\n' + '             ~\n',
  ],
  [
    'begin { $x = $0; }',
    'stdin:1:14-16: ERROR: param $0 is out of integer range [1, 9223372036854775807]\n' +
      'begin { $x = $0; }\n' +
      '             ~~\n',
  ],
  [
    'begin { /* never closed',
    'stdin:1:9-11: ERROR: unterminated comment\n' + 'begin { /* never closed\n' + '        ~~\n',
  ],
  ['struct X { int a;', 'stdin:1:1-7: ERROR: unterminated C definition\n' + 'struct X { int a;\n' + '~~~~~~\n'],
  [
    'BEGIN {}\nconfig = { a = 1 }',
    'stdin:2:1-19: ERROR: config must appear before probes and functions\n' + 'config = { a = 1 }\n' + '~~~~~~~~~~~~~~~~~~\n',
  ],
  // multi-line spans print only the line range
  ['BEGIN {}\nstruct X {\n int a;\n};', 'stdin:2:1-7: ERROR: C definitions must appear before probes and functions\nstruct X {\n~~~~~~\n'],
];

for (const [src, want] of table) {
  test(`error ${JSON.stringify(src)}`, (t) => {
    t.is(diag(src), want);
  });
}

// Message-only checks for the remaining lexical errors.
const messages: [string, string][] = [
  ['$x = 12e3', 'coefficient part of scientific literal must be 1-9: 12e3'],
  ['$x = 5000000000u', 'overflow error, maximum value is 4294967295: 5000000000u'],
  ['$x = 1_', 'trailing underscore in integer literal'],
  ['$x = 078', 'invalid trailing bytes: 078'],
  ['$x = 0b101', "invalid integer suffix 'b101'"],
  ['$x = 20000000000d', 'overflow error, maximum value is 18446744073709551615: 20000000000d'],
  ['$x = "\\777"', "octal escape sequence out of range '\\777'"],
  ['$x = "\\xzz"', 'invalid hex escape sequence'],
  ['$x = "a\\', 'unterminated string'],
  ['$t.x.0x1', "invalid tuple index '0x1'"],
  ['$x.a = 1', 'syntax error, unexpected =, expecting ; or }'],
];

for (const [stmt, want] of messages) {
  test(`error message ${stmt}`, (t) => {
    const d = diag(`begin { ${stmt} }`);
    t.truthy(d);
    t.is(d!.split('\n')[0]!.replace(/^stdin:[0-9:-]+: ERROR: /, ''), want);
  });
}

test('errors are CompileErrors with one located diagnostic', (t) => {
  const err = t.throws(() => parse('begin { @x[ }', 'prog.bt'), { instanceOf: CompileError });
  t.is(err.diagnostics.length, 1);
  t.deepEqual(err.diagnostics[0]!.span, { file: 'prog.bt', line: 1, col: 13, endLine: 1, endCol: 14 });
  t.is(err.diagnostics[0]!.severity, 'ERROR');
});

test('a syntax error before a lexical error is reported first', (t) => {
  t.is(diag('begin { $x = ; "\\q" }')!.split('\n')[0], 'stdin:1:14-15: ERROR: syntax error, unexpected ;');
});
