// Constants as builtins: `#define` macros and enumerators of the script, kernel
// enumerators by name; and the enum names reaching the output formats
// (Manifest.enums, OutputFormat.prepare).
import test from 'ava';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.BPFSCRIPT_CACHE_DIR = mkdtempSync(join(tmpdir(), 'bs-ctypes-test-'));

const { parse } = await import('../../../../core/syntax/index.ts');
const { manifestEnumNames } = await import('../../../../core/manifest/index.ts');
const { manifestEnums } = await import('../../../../core/codegen/enums.ts');
const { Btf, BtfKernelTypes, VMLINUX_PATH } = await import('../../../../lib/btf/index.ts');
const { scriptCTypes } = await import('../../../../plugins/compiler/c-types/index.ts');
const { TextOutputFormat } = await import('../../../../plugins/output/text/index.ts');
const { JsonOutputFormat } = await import('../../../../plugins/output/json/index.ts');
import type { Builtin, CheckContext, ValueType } from '../../../../sdk/index.ts';

const btfTest = existsSync(VMLINUX_PATH) ? test : test.skip;

/** Checks a constant builtin as the type pass does: its type and folded value, or the error it reports. */
function fold(b: Builtin | undefined): { type: ValueType; value: unknown } | { error: string } {
  if (!b) throw new Error('no such builtin');
  const tc = { fail: (message: string) => { throw new Error(message); } } as unknown as CheckContext;
  try {
    const type = b.check([], tc, { file: 'stdin', line: 1, col: 1, endLine: 1, endCol: 2 });
    return { type, value: b.constant!([], tc) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const SCRIPT = `
#define FOO 10
#define BIG 0xffffffffffffffff
#define SUM (FOO + TWO * 100)
#define NAME "bpf" "script"
#define WIDTH sizeof(struct pair)
#define SHIFTED (1 << ONE)
#define CALL(x) (x)
#define NOT_CONST comm
#define KERNEL_SID (PIDTYPE_SID + 0)
#define pid 99
struct pair { int a; long b; };
enum E { ONE = 1, TWO };
enum { NEG = -5 };
begin { }`;

btfTest('macros and enumerators fold to their values', (t) => {
  const r = scriptCTypes(parse(SCRIPT, 'stdin'), { kernelTypes: new BtfKernelTypes(), builtinNames: new Set(['pid']) });
  const get = (name: string) => fold(r.builtins.find((b) => b.name === name));
  t.deepEqual(get('FOO'), { type: { kind: 'int', size: 8, signed: true }, value: 10n });
  t.deepEqual(get('BIG'), { type: { kind: 'int', size: 8, signed: false }, value: 0xffffffffffffffffn });
  t.deepEqual(get('SUM'), { type: { kind: 'int', size: 8, signed: true }, value: 210n });
  t.deepEqual(get('NAME'), { type: { kind: 'string', size: 10 }, value: 'bpfscript' });
  t.deepEqual(get('WIDTH'), { type: { kind: 'int', size: 8, signed: false }, value: 16n });
  t.deepEqual(get('SHIFTED'), { type: { kind: 'int', size: 8, signed: true }, value: 2n });
  t.deepEqual(get('KERNEL_SID'), { type: { kind: 'int', size: 8, signed: true }, value: 3n });
  t.deepEqual(get('TWO'), { type: { kind: 'int', size: 8, signed: false, enumName: 'E' }, value: 2n });
  t.deepEqual(get('NEG'), { type: { kind: 'int', size: 8, signed: true, enumName: '(anonymous at stdin:14)' }, value: -5n });
  t.deepEqual(get('CALL'), { error: 'Macro CALL (defined at stdin:8) is not a constant: it takes arguments (x): only macros that expand to a constant can be used' });
  t.deepEqual(get('NOT_CONST'), { error: "Macro NOT_CONST (defined at stdin:9) is not a constant: 'comm' is not a constant" });
  // A name builtins already have stays theirs.
  t.false(r.builtins.some((b) => b.name === 'pid'));
});

btfTest('kernel enumerators by name, typed by their enum', (t) => {
  const r = scriptCTypes(parse('begin { }', 'stdin'), { kernelTypes: new BtfKernelTypes() });
  t.deepEqual(fold(r.kernelConstant('PIDTYPE_TGID')), { type: { kind: 'int', size: 8, signed: false, enumName: 'pid_type' }, value: 1n });
  const btf = Btf.open();
  const reason = btf.findEnumerator('SKB_DROP_REASON_NOT_SPECIFIED');
  t.is(reason.length, 1);
  t.is(btf.nameOf(reason[0]!.id), 'skb_drop_reason');
  t.is(r.kernelConstant('NO_SUCH_ENUMERATOR_X'), undefined);
  t.deepEqual(btf.findEnumerator('task_struct'), [], 'a type name is not an enumerator');
});

test('the Manifest lists the enums its actions and maps carry, and the output formats print them by name', (t) => {
  const color: ValueType = { kind: 'int', size: 8, signed: false, enumName: 'color' };
  const names = new Map([['color', new Map([[1n, 'RED'], [2n, 'GREEN']])]]);
  const kernelTypes = { enumValues: (n: string) => names.get(n) } as unknown as InstanceType<typeof BtfKernelTypes>;
  // The fields of two event records: a printf's tuple argument, a print's value.
  const enums = manifestEnums({
    eventFields: [
      { kind: 'tuple', elements: [{ type: color, offset: 0 }], size: 8 },
      { kind: 'int', size: 4, signed: false, enumName: 'unknown_enum' },
    ],
    maps: [],
  }, kernelTypes);
  t.deepEqual(enums, { color: [['1', 'RED'], ['2', 'GREEN']] });
  t.deepEqual(manifestEnumNames({ enums }), names);
  const out: string[] = [];
  const w = { out: (s: string) => out.push(s), err: () => {} };
  const text = new TextOutputFormat();
  text.printValue(2n, color, w);
  text.prepare({ manifest: { enums } } as never);
  text.printValue(2n, color, w);
  text.printValue(7n, color, w);
  const json = new JsonOutputFormat();
  json.prepare({ manifest: { enums } } as never);
  json.printf({ kind: 'printf', id: 0, format: '%s %d\n', args: [] }, [{ value: 1n, type: color }, { value: 1n, type: color }], w);
  t.deepEqual(out, ['2\n', 'GREEN\n', '7\n', '{"type": "printf", "data": "RED 1\\n"}\n']);
});
