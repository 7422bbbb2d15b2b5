/**
 * Measurement machinery of the benchmark suite. Every benchmark compares "ours" with a baseline
 * measured in the same process and the same run, in paired rounds whose order alternates
 * (A B, B A, A B …), so that drifts of the machine (frequency scaling, a neighbour's load) hit
 * both sides alike. The ratio is the median of the per-round ratios; each side's figure is the
 * median of its own samples.
 */

/** One side's measurement in one round: a duration, a size, whatever the benchmark's unit is. */
export type Sample = () => number | Promise<number>;

export interface PairedOptions {
  /** Rounds that are measured. */
  readonly rounds: number;
  /** Rounds run first and thrown away (JIT, caches, lazily opened things). */
  readonly warmup: number;
  readonly ours: Sample;
  readonly baseline: Sample;
}

export interface PairedResult {
  /** Median of ours. */
  readonly ours: number;
  /** Median of the baseline. */
  readonly baseline: number;
  /** Median of the per-round ratios ours / baseline. */
  readonly ratio: number;
  readonly rounds: number;
  /** Interquartile range of the per-round ratios, to show how steady the figure is. */
  readonly ratioIqr: readonly [number, number];
  readonly samples: { readonly ours: readonly number[]; readonly baseline: readonly number[] };
}

/** The median (mean of the two middle values for an even count). NaN for no values. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile `q` in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[high] ?? Number.NaN;
  return lowValue + (highValue - lowValue) * (at - low);
}

/** Runs ours and the baseline in alternating order, round after round. */
export async function paired(options: PairedOptions): Promise<PairedResult> {
  const ours: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.warmup + options.rounds; round += 1) {
    let a: number;
    let b: number;
    if (round % 2 === 0) {
      a = await options.ours();
      b = await options.baseline();
    } else {
      b = await options.baseline();
      a = await options.ours();
    }
    if (round < options.warmup) continue;
    ours.push(a);
    baseline.push(b);
    ratios.push(a / b);
  }
  return {
    ours: median(ours),
    baseline: median(baseline),
    ratio: median(ratios),
    rounds: options.rounds,
    ratioIqr: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
    samples: { ours, baseline },
  };
}

/** Milliseconds since an arbitrary origin, with sub-microsecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Microseconds per call of `fn` over `iterations` calls. */
export function microsPerOp(iterations: number, fn: () => unknown): number {
  const start = nowMs();
  for (let i = 0; i < iterations; i += 1) fn();
  return ((nowMs() - start) * 1000) / iterations;
}

/** Microseconds per call of an async `fn`, awaited one after the other. */
export async function microsPerAsyncOp(iterations: number, fn: () => Promise<unknown>): Promise<number> {
  const start = nowMs();
  for (let i = 0; i < iterations; i += 1) await fn();
  return ((nowMs() - start) * 1000) / iterations;
}

/** Milliseconds one async operation takes. */
export async function millisOf(fn: () => Promise<unknown>): Promise<number> {
  const start = nowMs();
  await fn();
  return nowMs() - start;
}
