// A fuzzing run of the compiler, from a fixed seed: a few hundred mutations
// of the project's own scripts (tests/helpers/fuzz-cases.ts) through the whole
// compile in this process (parse, prepare, expand, check, generate; clang on
// a sample of what the type pass accepts; nothing loaded). Every case must
// end within 10 s in a located diagnostic or a successful compile: never a
// JavaScript error, an error without a place, or a clang error.
import test from 'ava';
import { repoRoot } from '../helpers/run.ts';
import { fuzzCases, fuzzSeeds } from '../helpers/fuzz-cases.ts';
import { compileOutcome } from '../helpers/compile-outcome.ts';
import type { CompiledScript } from '../../core/session/index.ts';

const SEED = 14;
const CASES = 300;
/** Cases per test: AVA's timeout counts from the last finished test. */
const CHUNK = 25;
const CASE_MS = 10_000;
/** clang is the slow part: it runs on accepted programs of up to this many probes and this much C, this many times a run (its cache makes reruns quick). */
const CLANG_MAX_PROBES = 16;
const CLANG_MAX_C = 100_000;
const CLANG_MAX_RUNS = 12;

const cases = fuzzCases(fuzzSeeds(repoRoot), CASES, SEED);
const tally = { refused: 0, compiled: 0, clang: 0 };

function clangSample(compiled: CompiledScript): boolean {
  const take = tally.clang < CLANG_MAX_RUNS && compiled.instances.length <= CLANG_MAX_PROBES && compiled.c.length <= CLANG_MAX_C;
  if (take) tally.clang++;
  return take;
}

for (let from = 0; from < cases.length; from += CHUNK) {
  const chunk = cases.slice(from, from + CHUNK);
  test.serial(`fuzz cases ${from}-${from + chunk.length - 1} (seed ${SEED}): located diagnostics or compiles, each within 10 s`, async (t) => {
    const problems: string[] = [];
    for (const c of chunk) {
      const { outcome, ms } = await compileOutcome(c.text, { file: 'fuzz.bt', clang: clangSample });
      if (outcome.kind === 'failed') problems.push(`${c.name}: ${outcome.why}`);
      else tally[outcome.kind]++;
      if (ms > CASE_MS) problems.push(`${c.name}: took ${(ms / 1000).toFixed(1)} s`);
    }
    t.deepEqual(problems, []);
  });
}

test.serial('the run covered both ends', (t) => {
  t.log(`${CASES} cases: ${tally.refused} refused with located diagnostics, ${tally.compiled} compiled (${tally.clang} through clang)`);
  // Mutations mostly break a script, but some must survive, and clang must have seen some.
  t.true(tally.refused > CASES / 2);
  t.true(tally.compiled >= 10);
  t.true(tally.clang >= 5);
});
