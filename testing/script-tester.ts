// ScriptTester: valid and invalid cases for a plugin or a script library, in
// the manner of ESLint's RuleTester. A valid case compiles (its C, warnings
// and, on a machine with BPF, its output may be checked); an invalid case is
// refused with the expected messages at the expected places. Cases run
// through `check` (one AssertionError listing every failing case) or are
// registered one test each with the test runner's `test` function (node:test,
// ava, vitest, mocha's `it`).
import { AssertionError } from 'node:assert';
import { compileForTest, fixedContainer, packageMap, packageName, type CompileOutcome, type TestDiagnostic, type TestEnvOptions } from './compile.ts';
import { docProblems, packageContents } from '../core/session/index.ts';
import { canRunBpf, runForTest, type RunResult } from './run.ts';

/** A text matched exactly, or a pattern. */
export type Expected = string | RegExp;

export interface ValidCase {
  /** The test's name (default: the script). */
  name?: string;
  script: string;
  /** The generated C contains this text, matches this pattern, or passes this check (which throws otherwise). */
  c?: Expected | ((c: string) => void);
  /** The warnings' messages, in order (default: none allowed). */
  warnings?: Expected[];
  /** Also compile the C with clang (needs clang and the kernel's BTF). */
  clang?: boolean;
  /**
   * What the script prints when run on the kernel (it should `exit()`).
   * Checked where BPF can be loaded (root); elsewhere the case only compiles,
   * unless the tester's `kernel` option is `require`.
   */
  output?: Expected;
}

export interface ExpectedError {
  message: Expected;
  /** 1-based line and column of the diagnostic's start in the script. */
  line?: number;
  col?: number;
}

export interface InvalidCase {
  name?: string;
  script: string;
  /** The errors, in order: each message (exact text or pattern), and where. */
  errors: ExpectedError[];
}

export interface Cases {
  valid?: (ValidCase | string)[];
  invalid?: InvalidCase[];
}

export interface ScriptTesterOptions extends TestEnvOptions {
  /**
   * Running `output` cases on the kernel: `auto` where BPF can be loaded,
   * `require` always (failing without root), `never` (compile only).
   */
  kernel?: 'auto' | 'require' | 'never';
  /** How long a run may take before it is ended as Ctrl-C ends it (default 10 s). */
  timeoutMs?: number;
}

/** A test runner's `test(name, fn)`: node:test's, ava's (wrap it to pass `t`), vitest's, mocha's `it`. */
export type TestFunction = (name: string, fn: () => Promise<void>) => unknown;

function matches(expected: Expected, actual: string): boolean {
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

function show(e: Expected): string {
  return typeof e === 'string' ? JSON.stringify(e) : String(e);
}

function where(d: TestDiagnostic): string {
  return d.line === undefined ? '' : ` at ${d.line}:${d.col}`;
}

export class ScriptTester {
  constructor(readonly options: ScriptTesterOptions = {}) {}

  /** The script compiled without the kernel: its C and Manifest, or its diagnostics. */
  compile(script: string, opts: { clang?: boolean } = {}): Promise<CompileOutcome> {
    return compileForTest(script, { ...this.options, ...opts });
  }

  /** The script run on this machine's kernel (root, BPF): its exit code and what it printed. */
  execute(script: string, opts: { format?: string; quiet?: boolean } = {}): Promise<RunResult> {
    return runForTest(script, { ...this.options, ...opts });
  }

  /** Whether `output` expectations are checked here. */
  get runsOnKernel(): boolean {
    const kernel = this.options.kernel ?? 'auto';
    return kernel === 'require' || (kernel === 'auto' && canRunBpf());
  }

  /**
   * The package under test against the standard library's doc rule: every
   * builtin and macro it adds has a `:variant` line naming it and a
   * description. Throws an AssertionError listing what breaks it.
   */
  async checkDocs(): Promise<void> {
    if (!this.options.packageDir) throw new Error('checkDocs needs the packageDir option');
    const container = await fixedContainer(this.options);
    const contents = await packageContents(container, packageName(this.options.packageDir), { cwd: this.options.packageDir, packages: packageMap(this.options) });
    const problems = docProblems(contents);
    if (problems.length) throw new AssertionError({ message: `${contents.name}: ${problems.join('; ')}` });
  }

  /** Runs every case; throws one AssertionError that lists each failing case and why. */
  async check(cases: Cases): Promise<void> {
    const failures: string[] = [];
    for (const { name, run } of this.tests(cases)) {
      try {
        await run();
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
    if (failures.length) throw new AssertionError({ message: `${failures.length} case(s) failed:\n${failures.join('\n')}` });
  }

  /** Registers one test per case with the runner's `test` function. */
  register(suite: string, cases: Cases, test: TestFunction): void {
    for (const { name, run } of this.tests(cases)) test(`${suite} › ${name}`, run);
  }

  private tests(cases: Cases): { name: string; run: () => Promise<void> }[] {
    const valid = (cases.valid ?? []).map((c) => (typeof c === 'string' ? { script: c } : c));
    return [
      ...valid.map((c) => ({ name: `valid: ${c.name ?? c.script}`, run: () => this.valid(c) })),
      ...(cases.invalid ?? []).map((c) => ({ name: `invalid: ${c.name ?? c.script}`, run: () => this.invalid(c) })),
    ];
  }

  private async valid(c: ValidCase): Promise<void> {
    const outcome = await this.compile(c.script, { clang: c.clang });
    if (!outcome.ok) throw new AssertionError({ message: `expected the script to compile, but:\n${outcome.text}` });
    const warnings = c.warnings ?? [];
    const got = outcome.warnings.filter((w) => w.severity === 'WARNING');
    if (got.length !== warnings.length || !warnings.every((w, i) => matches(w, got[i]!.message))) {
      throw new AssertionError({ message: `expected warnings ${warnings.map(show).join(', ') || '(none)'}, got:\n${outcome.text || '(none)\n'}` });
    }
    if (typeof c.c === 'function') c.c(outcome.c);
    else if (typeof c.c === 'string' && !outcome.c.includes(c.c)) throw new AssertionError({ message: `the generated C does not contain ${show(c.c)}` });
    else if (c.c instanceof RegExp && !c.c.test(outcome.c)) throw new AssertionError({ message: `the generated C does not match ${show(c.c)}` });
    if (c.output === undefined || !this.runsOnKernel) return;
    const run = await this.execute(c.script);
    if (run.code !== 0) throw new AssertionError({ message: `the run exited with ${run.code}:\n${run.stderr}` });
    if (!matches(c.output, run.stdout)) throw new AssertionError({ message: `expected output ${show(c.output)}, got ${JSON.stringify(run.stdout)}` });
  }

  private async invalid(c: InvalidCase): Promise<void> {
    const outcome = await this.compile(c.script);
    if (outcome.ok) throw new AssertionError({ message: 'expected the script to be refused, but it compiled' });
    const got = outcome.errors.filter((d) => d.severity === 'ERROR');
    const describe = () => `got:\n${outcome.text}`;
    if (got.length !== c.errors.length) throw new AssertionError({ message: `expected ${c.errors.length} error(s), ${describe()}` });
    c.errors.forEach((want, i) => {
      const d = got[i]!;
      if (!matches(want.message, d.message)) throw new AssertionError({ message: `error ${i + 1}: expected ${show(want.message)}, ${describe()}` });
      if ((want.line !== undefined && want.line !== d.line) || (want.col !== undefined && want.col !== d.col)) {
        throw new AssertionError({ message: `error ${i + 1}: expected at ${want.line ?? '?'}:${want.col ?? '?'}, it is${where(d) || ' nowhere'}; ${describe()}` });
      }
    });
  }
}
