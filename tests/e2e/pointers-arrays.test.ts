// Pointers and arrays against the kernel (issue 10): data of known contents
// in a process's memory (tests/fixtures/programs/memory-target.c) read
// through a uprobe's arguments, and the run-time rules of pointers and
// division in begin probes.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const BLOCK = `struct row { uint32_t id; uint32_t pair[2]; };
struct block {
  int flat[4];
  int grid[2][2];
  int *refs[3];
  struct row rows[3];
  unsigned short halves[4];
  int count;
  int tail[0];
};`;

async function probeTarget(body: string): Promise<{ stdout: string; stderr: string }> {
  const prog = fixtureProgram('memory-target');
  const r = await bpfscript(['-q', '-e', `${BLOCK}\nuprobe:${prog}:bs_memory_target { $b = (struct block *)arg0; ${body} exit(); }`, '-c', prog]);
  return { stdout: r.stdout, stderr: r.stderr };
}

test('a uprobe reads arrays through its arguments: elements, rows of a grid, arrays of pointers and of structs, a flexible array', async (t) => {
  const r = await probeTarget(`
    printf("%d %d %d\\n", $b->flat[0], $b->flat[3], ((int32 *)arg0)[1]);
    $g = $b->grid; printf("%d %d %d\\n", $b->grid[1][0], $g[0][1], $b->grid[1][1]);
    printf("%d %d\\n", *$b->refs[1], **((int32 **)arg1 + 2));
    printf("%d %d %d\\n", $b->rows[2].id, $b->rows[1].pair[1], $b->rows[2].pair[1]);
    printf("%d %d\\n", *((uint16 *)arg0 + 46), $b->tail[2]);
    @grid[0] = $b->grid; printf("%d\\n", @grid[0][1][0]);`);
  t.is(r.stderr, '');
  t.is(r.stdout, '1 4 2\n7 6 8\n20 30\n102 2 4\n1110 43\n7\n\n\n@grid[0]: [[5,6],[7,8]]\n');
});

test('an index past the end of an array warns at run time; arrays compare element by element', async (t) => {
  const r = await probeTarget('$i = (uint64)7; @x = $b->flat[$i]; printf("%d %d\\n", $b->flat == $b->flat, $b->rows[0].pair != $b->rows[1].pair);');
  t.regex(r.stderr, /^stdin:\d+:\d+-\d+: WARNING: Array access out of bounds\. This can lead to unexpected results\.\n/);
  t.regex(r.stdout, /^1 1\n/);
});

test('pointers move by elements; & of variables; division by zero gives 1 and warns', async (t) => {
  const r = await bpfscript(['-q', '-e', `begin {
    @p = (int32 *)0x32; @p++; @p += 2; $q = (int64 *)0x32; $q--; $q -= 1;
    $a = 7; $pa = &$a; $t = (1, "two"); $s = "hi"; $c = (int8 *)&$s;
    printf("%p %d %d %c%c\\n", $q, *$pa, (*&$t).0, *$c, *($c + 1));
    @zero = 0; $d = 10 / @zero; $m = 10 % @zero; printf("%d %d %d\\n", $d, $m, 10 / 3);
    exit();
  }`]);
  t.is(r.stdout, '0x22 7 1 hi\n1 1 3\n\n\n@p: 0x3e\n@zero: 0\n');
  const warnings = r.stderr.split('\n').filter((l) => l.includes('WARNING'));
  t.deepEqual(warnings.map((l) => l.replace(/^stdin:\d+:\d+-\d+: /, '')), [
    'WARNING: Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.',
    'WARNING: Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.',
  ]);
});

test('a tracepoint argument that points to a kernel struct by name only reads its members through BTF', async (t) => {
  const r = await bpfscript(['--dry-run', '-e', 'tracepoint:syscalls:sys_enter_nanosleep { @s = args.rqtp->tv_sec; } tracepoint:napi:napi_poll { @n = args.napi.dev.name; }']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /Attached 2 probes\n/);
});
