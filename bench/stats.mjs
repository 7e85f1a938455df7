// Small timing helpers shared by the benchmarks.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Calls fn (after two warm-up calls) until about targetMs have passed; returns each call's ms. */
export function timeCalls(fn, targetMs, minCalls = 5) {
  fn();
  fn();
  const times = [];
  const start = performance.now();
  while (times.length < minCalls || performance.now() - start < targetMs) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}
