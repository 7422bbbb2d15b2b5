/**
 * What the core crash child (core-child.ts) and its test agree on: the operations a
 * run performs, in an order both sides compute from the run number alone, and the state model
 * the test checks the database against after every SIGKILL.
 */

/** The OAuth credential every run rotates. */
export const CRASH_OAUTH_ACCOUNT = 'rotating';
/** The API-key accounts runs save and log out. */
export const CRASH_KEY_ACCOUNTS = ['a0', 'a1', 'a2', 'a3', 'a4'] as const;

export type CrashOp =
  | { readonly kind: 'save'; readonly account: string; readonly apiKey: string }
  | { readonly kind: 'rotate' }
  | { readonly kind: 'logout'; readonly account: string };

/** The secret of generation `generation` of the rotating credential; the length varies so a torn row shows. */
export function rotationTokens(generation: number): { accessToken: string; refreshToken: string } {
  return {
    accessToken: `crash-access-${generation}-${'a'.repeat(generation % 61)}`,
    refreshToken: `crash-refresh-${generation}-${'r'.repeat((generation * 7) % 89)}`,
  };
}

/** Expiry stored with a generation (epoch ms, far in the future so nothing refreshes). */
export function rotationExpiry(generation: number): number {
  return Date.UTC(2100, 0, 1) + generation;
}

/** A small integer hash (deterministic across processes). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** Operation `index` of run `run`: half saves, four in ten rotations, one in ten logouts. */
export function crashOp(run: number, index: number): CrashOp {
  const h = mix(run, index);
  const account = CRASH_KEY_ACCOUNTS[(h >>> 8) % CRASH_KEY_ACCOUNTS.length] ?? 'a0';
  const pick = h % 10;
  if (pick < 5) return { kind: 'save', account, apiKey: `sk-ant-api03-crash-r${run}-i${index}-${'k'.repeat(h % 40)}` };
  if (pick < 9) return { kind: 'rotate' };
  return { kind: 'logout', account };
}

/** What the database must hold: API keys by account, the rotating credential's generation, the active anthropic account. */
export interface CrashState {
  readonly keys: Readonly<Record<string, string>>;
  readonly generation: number;
  readonly activeAccount: string | null;
}

/** The state after `op` has committed (and, for a save, after the session was updated too). */
export function applyCrashOp(state: CrashState, op: CrashOp): CrashState {
  switch (op.kind) {
    case 'save':
      return { ...state, keys: { ...state.keys, [op.account]: op.apiKey }, activeAccount: op.account };
    case 'rotate':
      return { ...state, generation: state.generation + 1 };
    case 'logout': {
      const { [op.account]: _removed, ...keys } = state.keys;
      return { ...state, keys };
    }
  }
}
