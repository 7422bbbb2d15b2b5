/**
 * Zod schemas of the view models main sends over IPC. They parse in "strip" mode, so a field added
 * to a view model by mistake — a secret, say — is dropped rather than sent. Each schema is checked
 * against its TypeScript interface in src-shared/view-models.ts with `satisfies`.
 */
import { z } from 'zod';
import { CREDENTIAL_STATES, type ModelInfo } from './auth-types.js';
import { ERROR_CODES, type ErrorInfo } from './errors.js';
import { authMethodField, redirectModeField, storedAuthMethodField } from './ipc-fields.js';
import type {
  AccountView,
  LoginResultView,
  ModelListView,
  OAuthFlowView,
  ProviderStatusView,
  StatusView,
  StorageProtectionView,
  UnavailableMethod,
} from './view-models.js';

export const errorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  provider: z.string().exactOptional(),
  retryAfterSeconds: z.number().exactOptional(),
  status: z.number().int().exactOptional(),
  providerCode: z.string().exactOptional(),
  retryable: z.boolean().exactOptional(),
}) satisfies z.ZodType<ErrorInfo>;

const credentialStateSchema = z.enum(CREDENTIAL_STATES);

export const modelInfoSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  contextWindow: z.number().exactOptional(),
  outputTokenLimit: z.number().exactOptional(),
  createdAt: z.string().exactOptional(),
  description: z.string().exactOptional(),
}) satisfies z.ZodType<ModelInfo>;

export const unavailableMethodSchema = z.object({
  method: authMethodField,
  reason: z.string(),
}) satisfies z.ZodType<UnavailableMethod>;

export const accountViewSchema = z.object({
  credentialId: z.string(),
  provider: z.string(),
  account: z.string(),
  method: storedAuthMethodField,
  state: credentialStateSchema,
  maskedKey: z.string().nullable(),
  identity: z.string().nullable(),
  expiresAt: z.string().nullable(),
  updatedAt: z.string(),
  lastError: errorInfoSchema.nullable(),
}) satisfies z.ZodType<AccountView>;

export const providerStatusViewSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  availableMethods: z.array(authMethodField).readonly(),
  unavailableMethods: z.array(unavailableMethodSchema).readonly(),
  activeMethod: storedAuthMethodField.nullable(),
  source: authMethodField.nullable(),
  state: credentialStateSchema,
  account: z.string().nullable(),
  accounts: z.array(accountViewSchema).readonly(),
  maskedKey: z.string().nullable(),
  expiresAt: z.string().nullable(),
  selectedModel: z.string().nullable(),
  lastError: errorInfoSchema.nullable(),
  consoleUrl: z.string(),
}) satisfies z.ZodType<ProviderStatusView>;

export const storageProtectionViewSchema = z.object({
  level: z.enum(['os_keychain', 'key_file', 'env_key', 'memory_only', 'weak']),
  persistent: z.boolean(),
  description: z.string(),
  warnings: z.array(z.string()).readonly(),
}) satisfies z.ZodType<StorageProtectionView>;

export const statusViewSchema = z.object({
  activeProvider: z.string().nullable(),
  providers: z.array(providerStatusViewSchema).readonly(),
  storage: storageProtectionViewSchema,
  configProblems: z.array(errorInfoSchema).readonly(),
}) satisfies z.ZodType<StatusView>;

export const modelListViewSchema = z.object({
  provider: z.string(),
  models: z.array(modelInfoSchema).readonly(),
  fetchedAt: z.string().nullable(),
  stale: z.boolean(),
  selectedModel: z.string().nullable(),
  error: errorInfoSchema.nullable(),
}) satisfies z.ZodType<ModelListView>;

export const loginResultViewSchema = z.object({
  provider: z.string(),
  account: z.string(),
  method: storedAuthMethodField,
  validated: z.boolean(),
  maskedKey: z.string().nullable(),
  identity: z.string().nullable(),
  expiresAt: z.string().nullable(),
}) satisfies z.ZodType<LoginResultView>;

export const oauthFlowViewSchema = z.object({
  flowId: z.string(),
  provider: z.string(),
  account: z.string(),
  authorizationUrl: z.string(),
  redirectMode: redirectModeField,
  acceptsPaste: z.boolean(),
  expiresAt: z.string(),
}) satisfies z.ZodType<OAuthFlowView>;

/** A started flow, plus whether the main process could open the system browser (not in web mode). */
export interface OAuthStartView extends OAuthFlowView {
  readonly browserOpened: boolean;
}

export const oauthStartViewSchema = oauthFlowViewSchema.extend({ browserOpened: z.boolean() }) satisfies z.ZodType<OAuthStartView>;

export interface LogoutView {
  readonly removed: number;
  readonly revoked: boolean;
}

export const logoutViewSchema = z.object({ removed: z.number().int(), revoked: z.boolean() }) satisfies z.ZodType<LogoutView>;

/** The `auth.flowFinished` event: how an OAuth flow ended (mirrors the core's FlowFinishedEvent). */
export type FlowFinishedView =
  | { readonly flowId: string; readonly provider: string; readonly account: string; readonly ok: true; readonly credentialId: string }
  | { readonly flowId: string; readonly provider: string; readonly account: string; readonly ok: false; readonly error: ErrorInfo };

export const flowFinishedViewSchema = z.discriminatedUnion('ok', [
  z.object({ flowId: z.string(), provider: z.string(), account: z.string(), ok: z.literal(true), credentialId: z.string() }),
  z.object({ flowId: z.string(), provider: z.string(), account: z.string(), ok: z.literal(false), error: errorInfoSchema }),
]) satisfies z.ZodType<FlowFinishedView>;
