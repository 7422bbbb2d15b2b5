import type { Result } from '../../src-shared/errors.js';
import { planCredentialUse } from '../core/plan-credentials.js';
import type { ResolvedCredential } from '../core/auth-service.js';
import type { Logger } from '../log/logger.js';

/** The providers the gateway serves, each under its own route prefix. */
export const GATEWAY_PROVIDERS = ['anthropic', 'openai', 'google'] as const;
export type GatewayProvider = (typeof GATEWAY_PROVIDERS)[number];

/** The part of the core the gateway needs: a working credential for a provider (AuthService fits). */
export interface GatewayCredentials {
  resolve(
    provider: string,
    options?: { readonly account?: string; readonly forceRefresh?: boolean },
  ): Promise<Result<ResolvedCredential>>;
  /** Told the provider's status for each credential used: acceptance verifies it, a 401 invalidates a key. */
  noteProviderAnswer?(resolved: ResolvedCredential, status: number): void;
}

/** Where the gateway key lives; the sealed implementation is in gateway-key.ts. */
export interface GatewayKeySource {
  /** The current key, created (and sealed) on first use. */
  current(): string;
}

/** Counters shown in the window and in `status`: never a secret, never a body. */
export interface GatewayProviderStats {
  readonly requests: number;
  readonly lastError: { readonly status: number; readonly message: string; readonly at: number } | null;
}

export interface GatewayOptions {
  readonly credentials: GatewayCredentials;
  readonly key: GatewayKeySource;
  /** 0 (the default) picks a free port; the chosen one is in the handle. */
  readonly port?: number;
  readonly logger?: Logger;
  /**
   * True for a credential the gateway must never serve (ChatGPT-plan sign-ins: OpenAI's terms for
   * open-source apps). Defaults to `isChatGptPlanCredential`, the core's rule.
   */
  readonly isPlanCredential?: (resolved: ResolvedCredential) => boolean;
  /** Sent as `x-goog-user-project` with a Google OAuth token (the project that is billed). */
  readonly googleUserProject?: string;
  /** Largest request body accepted, in bytes (default 32 MiB: room for images). */
  readonly maxBodyBytes?: number;
  /** Time a client has to send its request headers (default 10 s). */
  readonly headersTimeoutMs?: number;
  /** Longest silence while a client sends its body, or while the provider answers (default 120 s). */
  readonly idleTimeoutMs?: number;
  readonly now?: () => number;
}

/** A running gateway. */
export interface GatewayHandle {
  readonly port: number;
  /** `http://127.0.0.1:<port>`; each provider is under `/<provider>`. */
  readonly url: string;
  stats(): Readonly<Record<GatewayProvider, GatewayProviderStats>>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/**
 * The default plan rule is the core's one rule (plan-credentials.ts): a credential that spends a
 * subscription plan (a ChatGPT plan sign-in) is never offered to other programs through the gateway.
 */
export function isChatGptPlanCredential(resolved: ResolvedCredential): boolean {
  return !planCredentialUse(resolved, 'gateway').allowed;
}
