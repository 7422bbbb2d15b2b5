import type { CredentialSource, CredentialState, StoredAuthMethod } from '../../src-shared/auth-types.js';
import { maskSecret } from '../../src-shared/auth-types.js';
import type { ErrorInfo } from '../../src-shared/errors.js';
import { isAvailabilityProblem } from '../../src-shared/errors.js';
import type { AccountView, ProviderStatusView } from '../../src-shared/view-models.js';
import type { PlanSignInView } from '../../src-shared/plan.js';
import type { CredentialMeta } from './store/credential-store.js';
import type { ProviderAuth } from './providers/provider-auth.js';
import type { ProviderOutcome } from './session/session-manager.js';
import { credentialStateOf } from './credentials.js';

/** Everything needed to describe one provider, gathered without decrypting anything. */
export interface ProviderStatusInput {
  readonly auth: ProviderAuth;
  /** The stored credentials of the account in use (one per method). */
  readonly active: readonly CredentialMeta[];
  /** The first page of the provider's stored credentials, and how many there are. */
  readonly listed: readonly CredentialMeta[];
  readonly total: number;
  readonly account: string;
  readonly fallbackOrder: readonly CredentialSource[];
  readonly selectedModel: string | null;
  readonly outcome: ProviderOutcome | null;
  readonly now: number;
  /** Whether the person has acknowledged the one-time plan notice (for providers with a plan sign-in). */
  readonly planNoticeAcknowledged: boolean;
}

/** The credential the fallback chain would pick, judged from metadata alone. */
interface Candidate {
  readonly source: CredentialSource;
  readonly method: StoredAuthMethod;
  readonly meta: CredentialMeta | null;
  readonly maskedKey: string | null;
  readonly state: CredentialState;
}

function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * Whether a stored credential spends the person's plan, judged from metadata: every OAuth sign-in
 * of a plan provider does, except one kept but marked "plan not enabled".
 */
export function isPlanSignIn(meta: CredentialMeta, planProvider: boolean): boolean {
  return planProvider && meta.authMethod === 'oauth' && meta.invalidReason?.code !== 'plan_not_enabled';
}

export function accountViewOf(meta: CredentialMeta, now: number, planProvider = false): AccountView {
  return {
    ...(isPlanSignIn(meta, planProvider) ? { plan: true } : {}),
    credentialId: meta.id,
    provider: meta.provider,
    account: meta.accountLabel,
    method: meta.authMethod,
    state: credentialStateOf(meta, now),
    maskedKey: meta.maskedSecret,
    identity: meta.identity,
    expiresAt: toIso(meta.expiresAt),
    updatedAt: new Date(meta.updatedAt).toISOString(),
    lastError: meta.invalidReason,
  };
}

/** Walks the fallback order like `resolve()` does, without secrets: the first usable candidate wins. */
function pickCandidate(input: ProviderStatusInput): { chosen: Candidate | null; invalid: Candidate | null } {
  let invalid: Candidate | null = null;
  for (const source of input.fallbackOrder) {
    let candidate: Candidate | null = null;
    if (source === 'env') {
      const found = input.auth.environmentKey();
      if (found !== null)
        candidate = { source, method: 'api_key', meta: null, maskedKey: maskSecret(found.apiKey), state: 'valid' };
    } else {
      const meta = input.active.find((item) => item.authMethod === source && item.accountLabel === input.account);
      if (meta !== undefined) {
        candidate = {
          source,
          method: meta.authMethod,
          meta,
          maskedKey: meta.maskedSecret,
          state: credentialStateOf(meta, input.now),
        };
      }
    }
    if (candidate === null) continue;
    if (candidate.state === 'invalid') {
      invalid ??= candidate;
      continue;
    }
    return { chosen: candidate, invalid };
  }
  return { chosen: null, invalid };
}

/** Applies what the last use found: an unreachable provider is `unavailable`, a refused credential `invalid`. */
function stateAfterOutcome(candidate: Candidate, outcome: ProviderOutcome | null): CredentialState {
  if (
    outcome === null ||
    outcome.source !== candidate.source ||
    outcome.account !== (candidate.meta?.accountLabel ?? null)
  )
    return candidate.state;
  if (outcome.lastError !== null && isAvailabilityProblem(outcome.lastError.code)) return 'unavailable';
  return outcome.state === 'invalid' ? 'invalid' : candidate.state;
}

/** The listed page, with the account in use added (in listing order) when the page does not reach it. */
function shownAccounts(input: ProviderStatusInput): readonly CredentialMeta[] {
  const missing = input.active.filter((meta) => !input.listed.some((item) => item.id === meta.id));
  return missing.length === 0 ? input.listed : [...input.listed, ...missing];
}

/** How the window offers a plan sign-in, and whether the credential in use spends the plan. */
function planSignInOf(input: ProviderStatusInput, shown: Candidate | null): PlanSignInView | undefined {
  const plan = input.auth.definition.oauth?.planSignIn;
  if (plan === undefined) return undefined;
  const accounts = shownAccounts(input);
  return {
    planName: plan.planName,
    buttonLabel: plan.buttonLabel,
    manageUsageUrl: plan.manageUsageUrl,
    inUse:
      shown?.meta !== undefined && shown.meta !== null && shown.state !== 'invalid' && isPlanSignIn(shown.meta, true),
    noticeDue:
      !input.planNoticeAcknowledged && accounts.some((meta) => isPlanSignIn(meta, true) && meta.invalidReason === null),
  };
}

/** Builds the view of one provider: methods, accounts, what is in use and in what state. */
export function providerStatusOf(input: ProviderStatusInput): ProviderStatusView {
  const { definition } = input.auth;
  const methods = input.auth.availableMethods();
  const { chosen, invalid } = pickCandidate(input);
  const shown = chosen ?? invalid;
  const planProvider = definition.oauth?.planSignIn !== undefined;
  const planSignIn = planSignInOf(input, chosen);
  const lastError: ErrorInfo | null = input.outcome?.lastError ?? invalid?.meta?.invalidReason ?? null;
  return {
    id: definition.id,
    displayName: definition.displayName,
    availableMethods: methods.available,
    unavailableMethods: methods.unavailable,
    activeMethod: shown?.method ?? null,
    source: shown?.source ?? null,
    state: shown === null ? 'missing' : stateAfterOutcome(shown, input.outcome),
    account: shown === null ? null : shown.source === 'env' ? null : input.account,
    accounts: shownAccounts(input).map((meta) => accountViewOf(meta, input.now, planProvider)),
    accountTotal: input.total,
    maskedKey: shown?.maskedKey ?? null,
    expiresAt: toIso(shown?.meta?.expiresAt ?? null),
    selectedModel: input.selectedModel,
    lastError,
    consoleUrl: definition.consoleUrl,
    ...(planSignIn !== undefined ? { planSignIn } : {}),
  };
}
