/**
 * The seed a fuzz test runs from: `fixed` in the test suite (the same cases on every run), a
 * fresh one where the environment variable says `random` (`npm run fuzz`: new cases each time;
 * the tests print it), or the integer it gives (to replay a run whose failure named its seed).
 */
export function fuzzSeed(value: string | undefined, fixed: number): number {
  if (value === undefined || value === '') return fixed;
  if (value === 'random') return 1 + Math.floor(Math.random() * 2 ** 30);
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`FUZZ_SEED: expected 'random' or an integer, got '${value}'`);
  return seed;
}
