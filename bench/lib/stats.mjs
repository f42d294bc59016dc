/** Small statistics helpers. Percentiles use linear interpolation between closest ranks. */

/** @param {number[]} xs @param {number} p 0..100 */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** @param {number[]} xs */
export const median = (xs) => percentile(xs, 50);

/** @param {number} x @param {number} digits */
export const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Fisher–Yates shuffle (returns a new array). @template T @param {T[]} xs */
export function shuffled(xs) {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Reject if `promise` takes longer than `ms`. @template T @param {Promise<T>} promise */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms))),
  ]);
}

/** Percentile bootstrap interval of the median (default 95 %, 2000 resamples). @param {number[]} xs */
export function bootstrapMedianCi(xs, level = 95, resamples = 2000) {
  if (xs.length < 2) return [NaN, NaN];
  const meds = [];
  for (let i = 0; i < resamples; i++) {
    const sample = Array.from({ length: xs.length }, () => xs[Math.floor(Math.random() * xs.length)]);
    meds.push(median(sample));
  }
  return [percentile(meds, (100 - level) / 2), percentile(meds, 100 - (100 - level) / 2)];
}
