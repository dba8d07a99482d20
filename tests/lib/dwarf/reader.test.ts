// The DWARF reader against independent oracles, on one fixture built five
// ways (gcc's DWARF 5, 4 and 2, clang's DWARF 5 with indexed strings and
// addresses and no .debug_aranges, gcc's zlib-compressed sections): a struct's
// layout against the BTF clang itself makes of the same definitions, the line
// table against llvm-dwarfdump's, and function parameters by address and by
// name. Then malformed files: every failure is a DwarfError, never a crash.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Btf, type BtfTypeOf } from '../../../lib/btf/index.ts';
import { DebugInfoError, DwarfBinary, DwarfError, DwarfInfo, DwarfSections, BinaryTypes, readLineTable, unitToBtf } from '../../../lib/dwarf/index.ts';
import { ElfFile, elfFunctions } from '../../../lib/host/index.ts';
import { findClang } from '../../../core/build/index.ts';
import { fixtureProgram, repoRoot, type FixtureBuild } from '../../helpers/run.ts';

const clang = findClang();

const builds: FixtureBuild[] = [
  { variant: 'g', flags: ['-g', '-O0'] },
  { variant: 'dwarf4', flags: ['-gdwarf-4', '-O0'] },
  { variant: 'dwarf2', flags: ['-gdwarf-2', '-O0'] },
  { variant: 'clang', compiler: clang, flags: ['-g', '-O0'] },
  { variant: 'gz', flags: ['-g', '-gz=zlib', '-O0'] },
];

const STRUCTS = `struct bs_point { int x; int y; };
struct bs_shape { int id; char label[8]; struct bs_point *origin; unsigned int flags : 3; unsigned int kind : 5; long sides[2]; };
struct bs_shape bs_use;
struct bs_point bs_use_point;
`;

/** clang's own BTF of the fixture's struct definitions (compiled for BPF, which lays them out as x86-64 does). */
function clangBtf(): Btf {
  const dir = mkdtempSync(join(tmpdir(), 'bs-dwarf-oracle-'));
  writeFileSync(join(dir, 'structs.c'), STRUCTS);
  execFileSync(clang, ['-target', 'bpf', '-g', '-c', join(dir, 'structs.c'), '-o', join(dir, 'structs.o')]);
  const elf = new ElfFile(readFileSync(join(dir, 'structs.o')), 'structs.o');
  return Btf.fromBuffer(elf.data(elf.section('.BTF')!));
}

function open(path: string): DwarfBinary {
  const elf = new ElfFile(readFileSync(path), path);
  return new DwarfBinary(path, path, new DwarfInfo(new DwarfSections(elf)));
}

/** A type by what it is, not by how a compiler names it (`long int` and `long` are both i64). */
function shape(btf: Btf, id: number): string {
  const r = btf.resolve(id);
  const t = r.type;
  switch (t.kind) {
    case 'int':
      return `${t.signed ? 'i' : 'u'}${t.size * 8}`;
    case 'ptr':
      return `${shape(btf, t.type)}*`;
    case 'array':
      return `${shape(btf, t.type)}[${t.length}]`;
    case 'struct':
    case 'union':
    case 'fwd':
      return `${t.kind === 'union' ? 'union' : 'struct'} ${t.name}`;
    default:
      return t.kind;
  }
}

/** A struct's members as comparable rows: name, bit offset, bit size, type. */
function layout(btf: Btf, name: string): { size: number; members: string[] } {
  const t = btf.typeOf(btf.findByName('struct', name)!, 'struct') as BtfTypeOf<'struct'>;
  return { size: t.size, members: t.members.map((m) => `${m.name} ${m.bitOffset} ${m.bitSize} ${shape(btf, m.type)}`) };
}

/** The fixture's line marked `marker: body`. */
function bodyLine(): number {
  return readFileSync(join(repoRoot, 'tests', 'fixtures', 'programs', 'dwarf-target.c'), 'utf8').split('\n').findIndex((l) => l.includes('marker: body')) + 1;
}

const dwarfdump = ['llvm-dwarfdump-19', 'llvm-dwarfdump'].find((c) => spawnSync(c, ['--version']).status === 0);

for (const build of builds) {
  test(`${build.variant}: a struct's layout is clang's; parameters by address and by name`, (t) => {
    const path = fixtureProgram('dwarf-target', build);
    const d = open(path);
    const fn = d.functionDie(undefined, 'bs_dwarf_target');
    t.truthy(fn);
    const unit = unitToBtf(d.info, fn!.unit);
    t.deepEqual(layout(unit.btf, 'bs_shape'), layout(clangBtf(), 'bs_shape'));
    t.deepEqual(layout(unit.btf, 'bs_point'), layout(clangBtf(), 'bs_point'));

    const types = new BinaryTypes(d);
    const symbol = elfFunctions(path).find((s) => s.name === 'bs_dwarf_target')!;
    for (const address of [symbol.address, undefined]) {
      const params = types.functionParams(address, 'bs_dwarf_target')!;
      t.deepEqual(params.params.map((p) => `${p.cType} ${p.name}`), ['int n', 'struct bs_shape* shape', 'const char* name']);
      t.deepEqual(params.params.map((p) => p.type), [
        { kind: 'int', size: 4, signed: true },
        { kind: 'pointer', pointee: 'struct bs_shape', user: true },
        { kind: 'pointer', pointee: 'int8', user: true },
      ]);
    }
    const shape = types.byName('struct bs_shape');
    t.like(shape, { kind: 'struct', name: 'struct bs_shape', size: 48 });
    t.deepEqual(types.member('struct bs_shape', 'kind'), { name: 'kind', type: { kind: 'int', size: 4, signed: false }, offset: 24, bitfield: { bitOffset: 195, bitSize: 5 } });
    t.is(types.byName('struct bs_nothing'), undefined);
  });

  (dwarfdump ? test : test.skip)(`${build.variant}: the line table is llvm-dwarfdump's`, (t) => {
    const path = fixtureProgram('dwarf-target', build);
    const d = open(path);
    const text = execFileSync(dwarfdump!, ['--debug-line', path], { encoding: 'utf8' });
    const theirs = [...text.matchAll(/^0x([0-9a-f]{16}) +(\d+) +(\d+) +(\d+) +\d+ +\d+(?: +\d+)? *(.*)$/gm)].map(
      (m) => `${BigInt(`0x${m[1]}`)} ${m[2]} ${m[3]} ${m[4]} ${m[5]!.includes('is_stmt') ? 'stmt' : '-'}${m[5]!.includes('end_sequence') ? ' end' : ''}`,
    );
    const unit = d.info.unit(d.info.headers[0]!);
    const table = readLineTable(d.info.sections, unit.number(unit.root, 0x10)!, unit.string(unit.root, 0x1b) ?? '');
    const ours = table.rows().map((r) => `${r.address} ${r.line} ${r.column} ${r.file} ${r.isStmt ? 'stmt' : '-'}${r.endSequence ? ' end' : ''}`);
    t.true(theirs.length > 10);
    t.deepEqual(ours, theirs);
    t.true(table.files.some((f) => f.endsWith('/tests/fixtures/programs/dwarf-target.c')), table.files.join(' '));
    // The first address of a line: the lowest of its rows.
    const line = bodyLine();
    const lowest = ours.filter((r) => r.split(' ')[1] === `${line}` && !r.endsWith(' end')).map((r) => BigInt(r.split(' ')[0]!)).sort((a, b) => (a < b ? -1 : 1))[0];
    t.is(d.lineAddress('programs/dwarf-target.c', line), lowest);
    t.throws(() => d.lineAddress('grams/dwarf-target.c', line), { instanceOf: DebugInfoError, message: 'No compilation unit matches grams/dwarf-target.c' });
  });
}

/** A tiny deterministic PRNG, so a failing mutation can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('malformed DWARF: flipped bytes in .debug_info, .debug_abbrev and .debug_line give DwarfErrors, never other exceptions', (t) => {
  const path = fixtureProgram('dwarf-target', builds[0]!);
  const original = readFileSync(path);
  const elf = new ElfFile(original, path);
  const sections = ['.debug_info', '.debug_abbrev', '.debug_line', '.debug_str'].map((n) => elf.section(n)!);
  const rand = prng(42);
  let failures = 0;
  for (let round = 0; round < 300; round++) {
    const bytes = Buffer.from(original);
    const s = sections[round % sections.length]!;
    for (let i = 0; i < 4; i++) bytes[s.offset + Math.floor(rand() * s.size)] = Math.floor(rand() * 256);
    try {
      const d = new DwarfBinary(path, path, new DwarfInfo(new DwarfSections(new ElfFile(bytes, path))));
      const types = new BinaryTypes(d);
      types.functionParams(undefined, 'bs_dwarf_target');
      types.byName('struct bs_shape');
      types.byName('struct bs_nothing');
      d.lineAddress('dwarf-target.c', bodyLine());
    } catch (e) {
      if (e instanceof DwarfError || e instanceof DebugInfoError) continue;
      failures++;
      t.log(`round ${round} (${s.name}): ${(e as Error).stack}`);
    }
  }
  t.is(failures, 0);
});
