// Turns a script's preprocessor lines and C definitions into BTF with clang:
//
//   1. `clang -E -dD` of the C text: the macros (and where each was defined),
//      and, from a scan of the preprocessed code, every struct/union/enum tag,
//      typedef name and anonymous enum the text defines, headers included.
//   2. `clang -c -g -target bpf` of the same text plus one dummy global per
//      defined type (clang puts only used types into BTF) and one enum listing
//      the anonymous enums' enumerators (an anonymous enum has no name to point
//      at). Kernel types the definitions use by value or by typedef name
//      (`struct list_head l;`, `u32 x;`) are declared first from kernel BTF
//      (lib/btf's CDeclarations), found from clang's "incomplete type" and
//      "unknown type name" errors, and the compile is retried.
//   3. The object's `.BTF` section, read with lib/btf.
//
// Each item of the script is written after a `#line` directive (and as many
// spaces as its column), so clang's messages name the script's own lines and
// columns. Results are cached by content (the text, clang, the flags, the
// kernel's BTF), with the headers read checked by size and mtime.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { arch, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bpfTargetFlags, cacheSubdir, clangIdentity, findClang, trustedEntry, writeEntry } from '../../../core/build/index.ts';
import { CompileError, type Span } from '../../../core/diagnostics/index.ts';
import { Btf, CDeclarations, VMLINUX_PATH } from '../../../lib/btf/index.ts';
import { elfSection } from './elf-btf.ts';
import { scanPreprocessed, type MacroDefinition, type ScanResult } from './scan.ts';

/** A preprocessor line or a C definition of the script, where it is. */
export interface CSourceItem {
  text: string;
  span: Span;
}

export interface ExtractOptions {
  /** The kernel's BTF: defines BPFTRACE_HAVE_BTF and declares the kernel types the definitions use. */
  kernelBtf?: Btf;
  /** More clang flags (`-I DIR`, `-include FILE` from the command line). */
  extraFlags?: readonly string[];
  /** Where `stdin` scripts live, for `#include "x.h"`. */
  cwd?: string;
}

export interface Extracted {
  /** The BTF of the compiled definitions (every defined type, kernel types declared for them). */
  btf: Btf;
  scan: ScanResult;
  /** Values of the anonymous enums' enumerators. */
  anonymousValues: Map<string, bigint>;
  /** Whether the result came from the cache (no clang run). */
  cached: boolean;
  /** clang invocations and their time (0 when cached). */
  clangRuns: number;
  clangMs: number;
}

/** The dummies' file name in clang's messages: errors there are ours, not the script's. */
const TRAILER_FILE = '<bpfscript>';
const ANON_ENUM = '__bs_anon_values';
const MAX_KERNEL_ROUNDS = 8;
/** Changes whenever what the cache stores, or how it is made, changes. */
const CACHE_FORMAT = 'c-types 2';

/** The C text of the items, each placed at its script line and column. */
export function cSource(items: readonly CSourceItem[]): string {
  const out: string[] = [];
  for (const item of items) {
    out.push(`#line ${item.span.line} ${JSON.stringify(item.span.file)}`);
    let text = item.text;
    // Upstream accepts `struct Foo { ... }` without the `;` C wants.
    if (!text.startsWith('#') && !/;\s*$/.test(text)) text += ';';
    out.push(' '.repeat(Math.max(0, item.span.col - 1)) + text);
  }
  return out.join('\n') + '\n';
}

function hostArchDefine(): string {
  // Host headers (glibc's <sys/socket.h>) check the host's arch macro; the layout (LP64, little-endian) is the BPF target's too.
  return arch() === 'arm64' ? '-D__aarch64__' : '-D__x86_64__';
}

function clangFlags(items: readonly CSourceItem[], opts: ExtractOptions): string[] {
  const cwd = opts.cwd ?? process.cwd();
  const dirs = new Set(items.map((i) => (i.span.file === 'stdin' || i.span.file === '' ? cwd : dirname(resolve(cwd, i.span.file)))));
  return [
    ...bpfTargetFlags(),
    hostArchDefine(),
    ...(opts.kernelBtf ? ['-DBPFTRACE_HAVE_BTF=1'] : []),
    ...[...dirs].flatMap((d) => ['-iquote', d]),
    ...(opts.extraFlags ?? []),
    '-w',
    '-ferror-limit=0',
    '-fno-color-diagnostics',
    '-x',
    'c',
  ];
}

/** One dummy global per defined type, and an enum holding the anonymous enums' enumerators. */
function trailer(scan: ScanResult): string {
  // A global of its own, so the object has BTF even when the text defines no type.
  const lines = [`#line 1 "${TRAILER_FILE}"`, 'char __bs_unit;'];
  let n = 0;
  for (const tag of scan.tags) lines.push(`${tag} *__bs_type_${n++};`);
  for (const name of scan.typedefs) lines.push(`${name} *__bs_type_${n++};`);
  const enumerators = scan.anonymousEnums.flatMap((e) => e.enumerators);
  if (enumerators.length > 0) {
    lines.push(`enum ${ANON_ENUM} { ${enumerators.map((e, i) => `${ANON_ENUM}_${i} = (${e})`).join(', ')} };`);
    lines.push(`enum ${ANON_ENUM} *${ANON_ENUM}_p;`);
  }
  return lines.join('\n') + '\n';
}

interface ClangRun {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

function runClang(args: string[], input: string): ClangRun {
  const started = performance.now();
  const r = spawnSync(findClang(), args, { input, maxBuffer: 256 * 1024 * 1024 });
  return { ok: r.status === 0, stdout: r.stdout ?? Buffer.alloc(0), stderr: `${r.stderr?.toString() ?? ''}${r.error ? String(r.error) : ''}`, ms: performance.now() - started };
}

// ---------------------------------------------------------------- clang's messages

interface ClangDiagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  /** `In file included from FILE:LINE:` lines before it, innermost last. */
  includedFrom: { file: string; line: number }[];
}

export function parseClangDiagnostics(stderr: string): ClangDiagnostic[] {
  const out: ClangDiagnostic[] = [];
  let includes: { file: string; line: number }[] = [];
  for (const line of stderr.split('\n')) {
    const inc = /^(?:In file included from|\s+from) (.+?):(\d+):$/.exec(line);
    if (inc) {
      includes.push({ file: inc[1]!, line: Number(inc[2]) });
      continue;
    }
    const d = /^(.+?):(\d+):(\d+): (?:fatal error|error): (.*)$/.exec(line);
    if (d) {
      out.push({ file: d[1]!, line: Number(d[2]), col: Number(d[3]), message: d[4]!, includedFrom: includes });
      includes = [];
    } else if (/^\S.*: (?:warning|note): /.test(line)) includes = [];
  }
  return out;
}

/** The text of a script line, rebuilt from the items on it (each placed at its column). */
function scriptLine(items: readonly CSourceItem[], file: string, line: number): string {
  let out = '';
  for (const item of items) {
    if (item.span.file !== file) continue;
    const k = line - item.span.line;
    const lines = item.text.split('\n');
    if (k < 0 || k >= lines.length) continue;
    const col = k === 0 ? item.span.col - 1 : 0;
    out = out.padEnd(col).slice(0, col) + lines[k] + out.slice(col + lines[k]!.length);
  }
  return out;
}

/** A located CompileError for clang's first error: at the script's line and column, or at the `#include` that led to a header's error. */
export function clangError(stderr: string, items: readonly CSourceItem[], what: string): CompileError {
  const scriptFiles = new Set(items.map((i) => i.span.file));
  const first = parseClangDiagnostics(stderr).find((d) => d.file !== TRAILER_FILE) ?? parseClangDiagnostics(stderr)[0];
  if (!first) return new CompileError({ severity: 'ERROR', message: `${what}: ${stderr.trim() || 'clang failed'}` });
  if (scriptFiles.has(first.file)) {
    const text = scriptLine(items, first.file, first.line);
    const word = /^<[^>\n]*>|^"[^"\n]*"|^[A-Za-z_]\w*|^\S/.exec(text.slice(first.col - 1));
    const span: Span = { file: first.file, line: first.line, col: first.col, endLine: first.line, endCol: first.col + (word?.[0].length ?? 1) };
    return new CompileError({ severity: 'ERROR', message: first.message, span });
  }
  const site = [...first.includedFrom].reverse().find((i) => scriptFiles.has(i.file)) ?? first.includedFrom.find((i) => scriptFiles.has(i.file));
  if (site) {
    const text = scriptLine(items, site.file, site.line);
    const start = text.search(/\S/) + 1 || 1;
    const span: Span = { file: site.file, line: site.line, col: start, endLine: site.line, endCol: Math.max(start + 1, text.trimEnd().length + 1) };
    return new CompileError({ severity: 'ERROR', message: `${first.message} (${first.file}:${first.line})`, span });
  }
  // Nowhere in the script (a file given with --include): clang's own words.
  return new CompileError({ severity: 'ERROR', message: `${what}: ${first.file}:${first.line}:${first.col}: error: ${first.message}` });
}

// ---------------------------------------------------------------- kernel types the definitions need

/** Kernel types named by clang's errors: `struct x` used by value, typedef names it does not know. */
function missingTypes(stderr: string): string[] {
  const out = new Set<string>();
  for (const m of stderr.matchAll(/incomplete (?:element |result )?type '((?:struct|union|enum) [A-Za-z_]\w*)'/g)) out.add(m[1]!);
  for (const m of stderr.matchAll(/unknown type name '([A-Za-z_]\w*)'/g)) out.add(m[1]!);
  return [...out];
}

/** A kernel type by the name clang used (`struct list_head`, `u32`); undefined when the kernel has no complete one. */
function kernelTypeId(btf: Btf, name: string): number | undefined {
  const tag = /^(struct|union|enum) (\w+)$/.exec(name);
  const id = tag ? btf.findByName(tag[1] === 'enum' ? ['enum', 'enum64'] : (tag[1] as 'struct' | 'union'), tag[2]!) : btf.findByName('typedef', name);
  return id === undefined || btf.kindOf(id) === 'fwd' ? undefined : id;
}

/**
 * A kernel struct or union the script's own definitions define again
 * (`struct task_struct { ... }`), or undefined. As upstream, definitions that
 * redefine a kernel type get no kernel types: every type they use must be
 * defined too.
 */
function redefinedKernelType(items: readonly CSourceItem[], btf: Btf): string | undefined {
  for (const item of items) {
    const m = /^\s*(struct|union)\s+([A-Za-z_]\w*)\s*\{/.exec(item.text);
    if (m && kernelTypeId(btf, `${m[1]} ${m[2]}`) !== undefined) return `${m[1]} ${m[2]}`;
  }
  return undefined;
}

/** clang's error, saying why a kernel type it names was not declared. */
function withoutKernelTypes(e: CompileError, redefined: string): CompileError {
  const d = e.diagnostics[0]!;
  return new CompileError({ ...d, message: `${d.message} (the script redefines the kernel's ${redefined}, so its definitions take no types from the kernel's BTF)` });
}

/** C declarations of the named kernel types (complete), to go before the script's text. */
function kernelDeclarations(btf: Btf, names: readonly string[], scan: ScanResult): string {
  const reserved = [...scan.tags].map((t) => t.split(' ')[1]!).concat([...scan.typedefs], [...scan.enumerators], [...scan.macros.keys()]);
  const decls = new CDeclarations(btf, { reserved });
  const aliases: string[] = [];
  for (const name of names) {
    const id = kernelTypeId(btf, name)!;
    const kind = btf.kindOf(id);
    if (kind === 'struct' || kind === 'union') decls.useAllMembers(id);
    const spelled = decls.spell(id);
    // The emitter renames typedefs the BPF headers also define (`__u32___bs`); this unit has no such headers, so alias the real name.
    if (kind === 'typedef' && spelled !== name) aliases.push(`typedef ${spelled} ${name};`);
  }
  return `${decls.emit()}\n${aliases.join('\n')}\n`;
}

// ---------------------------------------------------------------- the cache

interface CacheRecord {
  btf: string;
  scan: { tags: string[]; declared: string[]; typedefs: string[]; enumerators: string[]; anonymousEnums: ScanResult['anonymousEnums']; macros: MacroDefinition[]; files: string[] };
  anonymousValues: [string, string][];
  /** Headers read, with size and mtime: a changed header invalidates the record. */
  headers: [string, number, number][];
}

function kernelBtfIdentity(btf: Btf | undefined): string {
  if (!btf) return 'no-btf';
  try {
    return `${release()}:${statSync(VMLINUX_PATH).size}`;
  } catch {
    return `btf:${btf.count}`;
  }
}

function fileStamp(path: string): [number, number] | undefined {
  try {
    const st = statSync(path);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

function readCache(path: string): Extracted | undefined {
  if (!trustedEntry(path)) return undefined;
  let rec: CacheRecord;
  try {
    rec = JSON.parse(readFileSync(path, 'utf8')) as CacheRecord;
  } catch {
    return undefined;
  }
  for (const [file, size, mtime] of rec.headers) {
    const now = fileStamp(file);
    if (!now || now[0] !== size || now[1] !== mtime) return undefined;
  }
  const scan: ScanResult = {
    tags: new Set(rec.scan.tags),
    declared: new Set(rec.scan.declared),
    typedefs: new Set(rec.scan.typedefs),
    enumerators: new Set(rec.scan.enumerators),
    anonymousEnums: rec.scan.anonymousEnums,
    macros: new Map(rec.scan.macros.map((m) => [m.name, m])),
    files: new Set(rec.scan.files),
  };
  return {
    btf: Btf.fromBuffer(Buffer.from(rec.btf, 'base64'), { name: 'script' }),
    scan,
    anonymousValues: new Map(rec.anonymousValues.map(([k, v]) => [k, BigInt(v)])),
    cached: true,
    clangRuns: 0,
    clangMs: 0,
  };
}

function writeCache(path: string, btfBytes: Buffer, e: Omit<Extracted, 'btf' | 'cached'>, scriptFiles: Set<string>): void {
  const headers: [string, number, number][] = [];
  for (const f of e.scan.files) {
    if (scriptFiles.has(f)) continue;
    const st = fileStamp(f);
    if (st) headers.push([f, st[0], st[1]]);
  }
  const rec: CacheRecord = {
    btf: btfBytes.toString('base64'),
    scan: {
      tags: [...e.scan.tags], declared: [...e.scan.declared], typedefs: [...e.scan.typedefs], enumerators: [...e.scan.enumerators],
      anonymousEnums: e.scan.anonymousEnums, macros: [...e.scan.macros.values()], files: [...e.scan.files],
    },
    anonymousValues: [...e.anonymousValues].map(([k, v]) => [k, v.toString()]),
    headers,
  };
  writeEntry(path, JSON.stringify(rec));
}

// ---------------------------------------------------------------- extraction

export function extractCTypes(items: readonly CSourceItem[], opts: ExtractOptions = {}): Extracted {
  const source = cSource(items);
  const flags = clangFlags(items, opts);
  let clang: string;
  try {
    clang = clangIdentity(findClang());
  } catch (e) {
    throw new CompileError({ severity: 'ERROR', message: `The script's C definitions need clang: ${(e as Error).message}` });
  }
  const key = createHash('sha256')
    .update(CACHE_FORMAT).update('\0').update(clang).update('\0').update(flags.join(' ')).update('\0')
    .update(kernelBtfIdentity(opts.kernelBtf)).update('\0').update(source)
    .digest('hex').slice(0, 32);
  const cachePath = join(cacheSubdir('c-types'), `${key}.json`);
  const hit = readCache(cachePath);
  if (hit) return hit;

  let clangRuns = 1;
  const pre = runClang(['-E', '-dD', ...flags, '-'], source);
  let clangMs = pre.ms;
  if (!pre.ok) throw clangError(pre.stderr, items, 'The C definitions could not be preprocessed');
  const scan = scanPreprocessed(pre.stdout.toString('latin1'));

  const wanted: string[] = [];
  let kernelText = '';
  let object: Buffer | undefined;
  for (let round = 0; ; round++) {
    const unit = `${kernelText}${source}${trailer(scan)}`;
    const r = runClang([...flags, '-c', '-', '-o', '-'], unit);
    clangRuns++;
    clangMs += r.ms;
    if (r.ok) {
      object = r.stdout;
      break;
    }
    const btf = opts.kernelBtf;
    const redefined = btf && redefinedKernelType(items, btf);
    if (redefined) throw withoutKernelTypes(clangError(r.stderr, items, 'The C definitions could not be compiled'), redefined);
    const missing = btf && round < MAX_KERNEL_ROUNDS ? missingTypes(r.stderr).filter((n) => !wanted.includes(n) && kernelTypeId(btf, n) !== undefined) : [];
    if (missing.length === 0) throw clangError(r.stderr, items, 'The C definitions could not be compiled');
    wanted.push(...missing);
    const declared = kernelDeclarations(btf!, wanted, scan);
    kernelText = `${declared}\n`;
  }
  const btfBytes = elfSection(object, '.BTF');
  if (!btfBytes) throw new CompileError({ severity: 'ERROR', message: 'clang produced no BTF for the C definitions' });
  const btf = Btf.fromBuffer(Buffer.from(btfBytes), { name: 'script' });
  const anonymousValues = new Map<string, bigint>();
  const valuesId = btf.findByName('enum', ANON_ENUM) ?? btf.findByName('enum64', ANON_ENUM);
  if (valuesId !== undefined) {
    const names = scan.anonymousEnums.flatMap((e) => e.enumerators);
    btf.enumValues(valuesId).forEach((v, i) => anonymousValues.set(names[i]!, v.value));
  }
  const result = { scan, anonymousValues, clangRuns, clangMs };
  writeCache(cachePath, Buffer.from(btfBytes), result, new Set(items.map((i) => i.span.file)));
  return { btf, cached: false, ...result };
}
