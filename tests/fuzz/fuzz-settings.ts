import type { Parameters } from 'fast-check';

/**
 * Every fuzz property runs with a fixed seed, so a run is reproducible: a failure prints its seed
 * and counterexample path, and the same command finds it again. FUZZ_SEED tries other seeds
 * (`FUZZ_SEED=123 npx vitest run --config tests/vitest.config.ts tests/fuzz`); FUZZ_RUNS scales
 * the number of cases.
 */
const baseSeed = Number(process.env.FUZZ_SEED ?? 20_261_128);
const runScale = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

/** fast-check parameters for property number `index` of a file: its own seed, `numRuns` cases. */
export function fuzzParameters<T>(index: number, numRuns: number): Parameters<T> {
  return { seed: baseSeed + index, numRuns: Math.round(numRuns * runScale), endOnFailure: true };
}

/**
 * A fuzz property runs hundreds of cases on the CPU, beside other test files (vitest.config.ts's
 * maxWorkers) on a shared 2-core machine: more time than the default for work, not for a race.
 */
export const fuzzTestTimeout = 120_000;
