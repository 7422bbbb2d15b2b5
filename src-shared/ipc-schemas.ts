/**
 * Zod schemas of the view models main sends over IPC. They parse in "strip" mode, so a field added
 * to a view model by mistake — a secret, say — is dropped rather than sent. Each schema is checked
 * against its TypeScript interface in src-shared/view-models.ts with `satisfies`.
 */
import * as z from 'zod/mini';
import { CREDENTIAL_STATES, type ModelInfo } from './auth-types.js';
import { ERROR_CODES, type ErrorInfo } from './errors.js';
import { authMethodField, redirectModeField, storedAuthMethodField } from './ipc-fields.js';
import type { PlanSignInView } from './plan.js';
import type {
  AccountPageView,
  AccountView,
  LoginResultView,
  ModelListView,
  ModelTestView,
  OAuthFlowView,
  EndpointOverrideView,
  ProviderStatusView,
  StatusView,
  StorageProtectionView,
  UnavailableMethod,
} from './view-models.js';

export const errorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  provider: z.exactOptional(z.string()),
  retryAfterSeconds: z.exactOptional(z.number()),
  status: z.exactOptional(z.number().check(z.int())),
  providerCode: z.exactOptional(z.string()),
  retryable: z.exactOptional(z.boolean()),
}) satisfies z.ZodMiniType<ErrorInfo>;

const credentialStateSchema = z.enum(CREDENTIAL_STATES);

export const modelInfoSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  contextWindow: z.exactOptional(z.number()),
  outputTokenLimit: z.exactOptional(z.number()),
  createdAt: z.exactOptional(z.string()),
  description: z.exactOptional(z.string()),
}) satisfies z.ZodMiniType<ModelInfo>;

export const unavailableMethodSchema = z.object({
  method: authMethodField,
  reason: z.string(),
}) satisfies z.ZodMiniType<UnavailableMethod>;

export const accountViewSchema = z.object({
  credentialId: z.string(),
  provider: z.string(),
  account: z.string(),
  method: storedAuthMethodField,
  state: credentialStateSchema,
  maskedKey: z.nullable(z.string()),
  identity: z.nullable(z.string()),
  expiresAt: z.nullable(z.string()),
  updatedAt: z.string(),
  lastError: z.nullable(errorInfoSchema),
  plan: z.exactOptional(z.boolean()),
}) satisfies z.ZodMiniType<AccountView>;

export const planSignInViewSchema = z.object({
  planName: z.string(),
  buttonLabel: z.string(),
  manageUsageUrl: z.string(),
  inUse: z.boolean(),
  noticeDue: z.boolean(),
}) satisfies z.ZodMiniType<PlanSignInView>;

export const providerStatusViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  availableMethods: z.readonly(z.array(authMethodField)),
  unavailableMethods: z.readonly(z.array(unavailableMethodSchema)),
  activeMethod: z.nullable(storedAuthMethodField),
  source: z.nullable(authMethodField),
  state: credentialStateSchema,
  account: z.nullable(z.string()),
  accounts: z.readonly(z.array(accountViewSchema)),
  accountTotal: z.int().check(z.nonnegative()),
  maskedKey: z.nullable(z.string()),
  expiresAt: z.nullable(z.string()),
  selectedModel: z.nullable(z.string()),
  lastError: z.nullable(errorInfoSchema),
  consoleUrl: z.string(),
  planSignIn: z.exactOptional(planSignInViewSchema),
}) satisfies z.ZodMiniType<ProviderStatusView>;

export const accountPageViewSchema = z.object({
  provider: z.string(),
  offset: z.int().check(z.nonnegative()),
  accounts: z.readonly(z.array(accountViewSchema)),
  total: z.int().check(z.nonnegative()),
}) satisfies z.ZodMiniType<AccountPageView>;

export const storageProtectionViewSchema = z.object({
  level: z.enum(['os_keychain', 'key_file', 'env_key', 'memory_only', 'weak']),
  persistent: z.boolean(),
  description: z.string(),
  warnings: z.readonly(z.array(z.string())),
}) satisfies z.ZodMiniType<StorageProtectionView>;

export const endpointOverrideViewSchema = z.object({
  provider: z.nullable(z.string()),
  setting: z.string(),
  value: z.string(),
  source: z.string(),
}) satisfies z.ZodMiniType<EndpointOverrideView>;

export const statusViewSchema = z.object({
  activeProvider: z.nullable(z.string()),
  providers: z.readonly(z.array(providerStatusViewSchema)),
  storage: storageProtectionViewSchema,
  storageNotices: z.readonly(z.array(z.string())),
  configProblems: z.readonly(z.array(errorInfoSchema)),
  overrides: z.readonly(z.array(endpointOverrideViewSchema)),
  logFile: z.exactOptional(z.string()),
}) satisfies z.ZodMiniType<StatusView>;

export const modelListViewSchema = z.object({
  provider: z.string(),
  models: z.readonly(z.array(modelInfoSchema)),
  fetchedAt: z.nullable(z.string()),
  stale: z.boolean(),
  selectedModel: z.nullable(z.string()),
  error: z.nullable(errorInfoSchema),
}) satisfies z.ZodMiniType<ModelListView>;

export const loginResultViewSchema = z.object({
  provider: z.string(),
  account: z.string(),
  method: storedAuthMethodField,
  validated: z.boolean(),
  maskedKey: z.nullable(z.string()),
  identity: z.nullable(z.string()),
  expiresAt: z.nullable(z.string()),
  plan: z.exactOptional(z.enum(['enabled', 'not_enabled'])),
}) satisfies z.ZodMiniType<LoginResultView>;

export const modelTestViewSchema = z.object({
  provider: z.string(),
  model: z.string(),
  source: authMethodField,
  method: storedAuthMethodField,
  account: z.nullable(z.string()),
  plan: z.nullable(z.string()),
  reply: z.string(),
  firstTokenMs: z.number().check(z.nonnegative()),
  totalMs: z.number().check(z.nonnegative()),
}) satisfies z.ZodMiniType<ModelTestView>;

export const oauthFlowViewSchema = z.object({
  flowId: z.string(),
  provider: z.string(),
  account: z.string(),
  authorizationUrl: z.string(),
  redirectMode: redirectModeField,
  acceptsPaste: z.boolean(),
  expiresAt: z.string(),
}) satisfies z.ZodMiniType<OAuthFlowView>;

/** How the one-time local start address of a sign-in looks (src-main/core/oauth/one-time-redirect.ts). */
export const START_ADDRESS_PATTERN = /^http:\/\/127\.0\.0\.1:\d{1,5}\/start\/[A-Za-z0-9_-]{16,}$/;

/**
 * A started flow as the window sees it: instead of the authorization URL (its `state`, PKCE
 * challenge and, on a returning Sign in with ChatGPT, an ID token), the one-time local address
 * that redirects to it; plus whether the main process could open the system browser (not in web mode).
 */
export interface OAuthStartView extends Omit<OAuthFlowView, 'authorizationUrl'> {
  /** `http://127.0.0.1:<port>/start/<random>`: redirects once to the provider's sign-in page. */
  readonly startUrl: string;
  readonly browserOpened: boolean;
}

// The pattern is the guarantee: a raw authorization URL in its place fails the output check.
export const oauthStartViewSchema = z.extend(z.omit(oauthFlowViewSchema, { authorizationUrl: true }), {
  startUrl: z.string().check(z.regex(START_ADDRESS_PATTERN)),
  browserOpened: z.boolean(),
}) satisfies z.ZodMiniType<OAuthStartView>;

export interface LogoutView {
  readonly removed: number;
  readonly revoked: boolean;
  /** The account whose credentials were removed (the active one when none was named). */
  readonly account: string;
  /** Something the person should do because the sign-out could not be confirmed by the provider. */
  readonly warning?: string;
}

export const logoutViewSchema = z.object({
  removed: z.number().check(z.int()),
  revoked: z.boolean(),
  account: z.string(),
  warning: z.exactOptional(z.string()),
}) satisfies z.ZodMiniType<LogoutView>;

/** The `auth.flowFinished` event: how an OAuth flow ended (mirrors the core's FlowFinishedEvent). */
export type FlowFinishedView =
  | {
      readonly flowId: string;
      readonly provider: string;
      readonly account: string;
      readonly ok: true;
      readonly credentialId: string;
    }
  | {
      readonly flowId: string;
      readonly provider: string;
      readonly account: string;
      readonly ok: false;
      readonly error: ErrorInfo;
    };

export const flowFinishedViewSchema = z.discriminatedUnion('ok', [
  z.object({
    flowId: z.string(),
    provider: z.string(),
    account: z.string(),
    ok: z.literal(true),
    credentialId: z.string(),
  }),
  z.object({
    flowId: z.string(),
    provider: z.string(),
    account: z.string(),
    ok: z.literal(false),
    error: errorInfoSchema,
  }),
]) satisfies z.ZodMiniType<FlowFinishedView>;
