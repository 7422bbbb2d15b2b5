import type { StateStore } from '../store/state-store.js';

/**
 * The one-time "You're using your ChatGPT plan" notice (openai-siwc.md §8): shown after the first
 * sign-in with plan usage enabled and never again once acknowledged, in any window or process of
 * this installation. Kept in the shared state, one flag per provider.
 */
const NOTICE_KEY = 'plan.noticeAcknowledged';

function flags(value: unknown): Record<string, true> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, true> = {};
  for (const [provider, flag] of Object.entries(value)) if (flag === true) out[provider] = true;
  return out;
}

export class PlanNotice {
  constructor(private readonly state: StateStore) {}

  acknowledged(provider: string): boolean {
    return flags(this.state.getState(NOTICE_KEY))[provider] === true;
  }

  acknowledge(provider: string): void {
    this.state.updateState(NOTICE_KEY, (current) => ({ ...flags(current), [provider]: true }));
  }
}
