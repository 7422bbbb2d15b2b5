import type { PairedResult } from './harness.js';

/**
 * What a benchmark promises, checked against its measured figures:
 * - `ratio`: ours / baseline must be at most `max` (the baseline is the floor we compare with);
 * - `faster`: ours must take less than the baseline (ratio < 1);
 * - `absolute`: ours must be at most `max`, in the row's unit (a budget, e.g. bundle size);
 * - `info`: no target, a figure that explains others (e.g. the floor a target is measured against).
 */
export type Target =
  | { readonly kind: 'info' }
  | { readonly kind: 'ratio'; readonly max: number }
  | { readonly kind: 'faster' }
  | { readonly kind: 'absolute'; readonly max: number };

/** A fact a benchmark must also establish, beyond speed (e.g. "exactly one token request"). */
export interface Invariant {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** One line of the table. */
export interface BenchRow {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  readonly baseline: number | null;
  readonly baselineName: string | null;
  readonly ratio: number | null;
  /** Interquartile range of the per-round ratios, when measured in paired rounds. */
  readonly ratioIqr: readonly [number, number] | null;
  readonly rounds: number;
  readonly target: Target;
  readonly invariants: readonly Invariant[];
  readonly notes: readonly string[];
  readonly pass: boolean;
}

/** How much work each benchmark does: the full run, or a quick smoke run. */
export interface BenchSettings {
  /** Paired rounds of the in-process micro benchmarks. */
  readonly rounds: number;
  readonly warmup: number;
  /** Operations per batch in micro benchmarks. */
  readonly iterations: number;
  /** Paired rounds of child-process start-ups (cold start, memory). */
  readonly startRounds: number;
  /** Stored credentials in the large cold-start case. */
  readonly manyCredentials: number;
  readonly stormRounds: number;
  /** Concurrent resolve() calls in the refresh storm. */
  readonly stormSize: number;
  readonly callbackRounds: number;
  readonly rendererRounds: number;
  /** Build the app's renderer (index.html only) apart from the web build to size it; false sizes index.html of the web build. */
  readonly separateAppBuild: boolean;
}

export const FULL_SETTINGS: BenchSettings = {
  rounds: 31,
  warmup: 5,
  iterations: 2_000,
  startRounds: 21,
  manyCredentials: 10_000,
  stormRounds: 11,
  stormSize: 1_000,
  callbackRounds: 21,
  rendererRounds: 15,
  separateAppBuild: true,
};

/** Tiny counts: every benchmark runs end to end and yields numbers, fast (the smoke test). */
export const QUICK_SETTINGS: BenchSettings = {
  rounds: 3,
  warmup: 1,
  iterations: 20,
  startRounds: 2,
  manyCredentials: 300,
  stormRounds: 1,
  stormSize: 1_000,
  callbackRounds: 2,
  rendererRounds: 1,
  separateAppBuild: false,
};

/** What every benchmark gets from the runner. */
export interface BenchContext {
  readonly settings: BenchSettings;
  /** Progress for the person watching (stderr); never part of the results. */
  log(message: string): void;
  /** A fresh temporary directory, removed when the run ends. */
  tempDir(prefix: string): string;
  /** Registers cleanup to run when the suite ends (reverse order). */
  defer(cleanup: () => void | Promise<void>): void;
}

export interface Benchmark {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<BenchRow[]>;
}

/** Whether the measured figures meet the target (NaN and infinities never do). */
export function meetsTarget(target: Target, ours: number, ratio: number | null): boolean {
  switch (target.kind) {
    case 'info':
      return Number.isFinite(ours);
    case 'ratio':
      return ratio !== null && Number.isFinite(ratio) && ratio <= target.max;
    case 'faster':
      return ratio !== null && Number.isFinite(ratio) && ratio < 1;
    case 'absolute':
      return Number.isFinite(ours) && ours <= target.max;
  }
}

/** Builds a row from a paired measurement. */
export function pairedRow(input: {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly baselineName: string;
  readonly result: PairedResult;
  readonly target: Target;
  readonly invariants?: readonly Invariant[];
  readonly notes?: readonly string[];
}): BenchRow {
  const invariants = input.invariants ?? [];
  const { result } = input;
  return {
    id: input.id,
    name: input.name,
    unit: input.unit,
    ours: result.ours,
    baseline: result.baseline,
    baselineName: input.baselineName,
    ratio: result.ratio,
    ratioIqr: result.ratioIqr,
    rounds: result.rounds,
    target: input.target,
    invariants,
    notes: input.notes ?? [],
    pass: meetsTarget(input.target, result.ours, result.ratio) && invariants.every((invariant) => invariant.ok),
  };
}

/** A row that could not be measured: it fails, with the reason as a note. */
export function failedRow(id: string, name: string, target: Target, reason: string): BenchRow {
  return {
    id,
    name,
    unit: '',
    ours: Number.NaN,
    baseline: null,
    baselineName: null,
    ratio: null,
    ratioIqr: null,
    rounds: 0,
    target,
    invariants: [{ name: 'measured', ok: false, detail: reason }],
    notes: [reason],
    pass: false,
  };
}
