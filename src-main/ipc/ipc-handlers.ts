import type { CredentialSource } from '../../src-shared/auth-types.js';
import { err, ok, type ErrorInfo, type Result } from '../../src-shared/errors.js';
import {
  IPC_CHANNELS,
  type ChannelName,
  type ChannelOutput,
  type IpcResult,
  type ParsedChannelInput,
} from '../../src-shared/ipc-contract.js';
import type { REDIRECT_MODE_VALUES, SettingsView } from '../../src-shared/ipc-fields.js';
import { errorInfoSchema } from '../../src-shared/ipc-schemas.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import type { Preferences, PreferencesStore } from '../preferences/preferences-types.js';
import type { AuthService } from '../core/auth-service.js';
import type { GatewayController } from '../gateway/gateway-controller.js';
import { gatewayImplementations } from './gateway-handlers.js';
import type { CommandLineTool } from '../cli-install/command-line-tool.js';
import { toErrorInfo } from '../core/auth-error.js';
import type { RedirectMode } from '../core/providers/definition.js';
import { invalidInput } from './ipc-input-error.js';
import { SignInStartAddresses } from './sign-in-start-addresses.js';

// The contract's redirect modes must be exactly the core's: a compile error here when they drift.
type SameModes = [RedirectMode] extends [(typeof REDIRECT_MODE_VALUES)[number]]
  ? [(typeof REDIRECT_MODE_VALUES)[number]] extends [RedirectMode]
    ? true
    : never
  : never;
const _redirectModesAgree: SameModes = true;

export interface IpcDeps {
  readonly auth: AuthService;
  readonly preferences: PreferencesStore;
  /**
   * Opens an OAuth authorization URL (built by main) in the system browser; resolves false when
   * it could not. Absent in web mode, where the window shows the URL as a link instead.
   */
  readonly openExternal?: (url: string) => Promise<boolean>;
  /** The local gateway's switch; absent in web mode, where the channels say how to run it instead. */
  readonly gateway?: GatewayController;
  /** The start addresses the window gets for sign-ins (the shell's window-open guard shares them); made here when absent. */
  readonly startAddresses?: SignInStartAddresses;
  /** The main process's clipboard (Electron); absent in web mode, where copying the gateway key is refused. */
  readonly writeClipboard?: (text: string) => Promise<void>;
  /** "Install command-line tool"; absent in web mode, where there is no app executable to launch. */
  readonly commandLineTool?: CommandLineTool;
  readonly logger?: Logger;
  /** Linux: the window offers the keyring (`--password-store`) choice; nowhere else does it apply. */
  readonly offersPasswordStore?: boolean;
}

/** The web transport's answer: there is no desktop executable for a launcher to run. */
export const NO_DESKTOP_APP: ErrorInfo = {
  code: 'not_configured',
  message:
    'Installing the command-line tool works only in the desktop app; from a checkout, run `npx the-maestro` or `npm link`.',
};

export type IpcReply<C extends ChannelName> = IpcResult<ChannelOutput<C>>;

/** One handler per channel, each taking the raw payload. A missing channel is a compile error. */
export type IpcHandlers = { readonly [C in ChannelName]: (payload: unknown) => Promise<IpcReply<C>> };

type Implementations = {
  readonly [C in ChannelName]: (input: ParsedChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
};

function settingsView(
  settings: { readonly fallbackOrder: readonly CredentialSource[] },
  preferences: Preferences,
  offersPasswordStore: boolean,
): SettingsView {
  return {
    fallbackOrder: settings.fallbackOrder,
    theme: preferences.theme,
    closeToTray: preferences.closeToTray,
    allowWeakStorage: preferences.allowWeakStorage,
    shareWithCommandLine: preferences.shareWithCommandLine,
    ...(offersPasswordStore ? { passwordStore: preferences.passwordStore } : {}),
  };
}

function implementations(deps: IpcDeps): Implementations {
  const { auth, preferences } = deps;
  const startAddresses = deps.startAddresses ?? new SignInStartAddresses((listener) => auth.onDidFinishFlow(listener));
  return {
    'providers.list': async () => ({ ok: true, value: (await auth.status()).providers }),
    'auth.saveApiKey': (input) => auth.saveApiKey(input),
    'auth.startOAuth': async (input) => {
      const started = await auth.startOAuth(input);
      if (!started.ok) return started;
      const open = deps.openExternal;
      // electronegativity-ok: the authorization URL is built by the core in main from the provider definition; the shell's opener admits only https (or loopback http for local test issuers)
      const { authorizationUrl, ...flow } = started.value;
      const browserOpened = open === undefined ? false : await open(authorizationUrl).catch(() => false);
      // The window gets a one-time local address, never the authorization URL (state, PKCE challenge, ID token hint).
      const startUrl = await startAddresses.create(started.value).catch((error: unknown) => {
        auth.cancelOAuth(flow.flowId);
        throw error;
      });
      return { ok: true, value: { ...flow, startUrl, browserOpened } };
    },
    'auth.submitPastedCode': (input) => auth.submitPastedCode(input),
    'auth.cancelOAuth': async (input) => auth.cancelOAuth(input.flowId),
    'auth.logout': (input) => auth.logout(input),
    'auth.validate': (input) => auth.validate(input),
    'accounts.rename': (input) => auth.renameAccount(input),
    'accounts.list': (input) => auth.listAccounts(input),
    'session.get': async () => ({ ok: true, value: await auth.status() }),
    'session.setActiveProvider': (input) => auth.setActiveProvider(input),
    'models.list': (input) => auth.listModels(input),
    'models.select': (input) => auth.selectModel(input),
    'providers.getQuotaProject': async (input) => auth.getQuotaProject(input.provider),
    'providers.setQuotaProject': async (input) => auth.setQuotaProject(input),
    'models.test': (input) => auth.testModel(input),
    'plan.acknowledgeNotice': (input) => auth.acknowledgePlanNotice(input.provider),
    'storage.acknowledgeNotices': async () => ({ ok: true, value: await auth.acknowledgeStorageNotices() }),
    'settings.get': async () => ({
      ok: true,
      value: settingsView(auth.getSettings(), preferences.get(), deps.offersPasswordStore === true),
    }),
    'settings.update': async ({ fallbackOrder, ...rest }) => {
      // The core's setting first: if it is refused, no preference has changed either.
      const core =
        fallbackOrder === undefined
          ? { ok: true as const, value: auth.getSettings() }
          : auth.updateSettings({ fallbackOrder });
      if (!core.ok) return core;
      const next = Object.keys(rest).length > 0 ? preferences.update(rest) : preferences.get();
      return { ok: true, value: settingsView(core.value, next, deps.offersPasswordStore === true) };
    },
    ...gatewayImplementations(deps),
    'cli.get': async () =>
      deps.commandLineTool === undefined ? err(NO_DESKTOP_APP) : ok(deps.commandLineTool.status()),
    'cli.install': async () => deps.commandLineTool?.install() ?? err(NO_DESKTOP_APP),
    'cli.uninstall': async () => deps.commandLineTool?.uninstall() ?? err(NO_DESKTOP_APP),
  };
}

const INTERNAL: ErrorInfo = {
  code: 'internal',
  message: 'Something unexpected went wrong inside The Maestro. Your stored credentials are unchanged.',
};

/**
 * Builds the handler of every channel: validate the payload with the contract (invalid →
 * `invalid_input`, nothing called), call the core, and pass the reply through the output schema,
 * which drops any field the contract does not name — a secret added to a view model by mistake
 * never crosses the boundary. Nothing throws; every reply is a result value.
 */
export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  const logger = deps.logger ?? silentLogger;
  const impl = implementations(deps);
  const handlers: Record<string, (payload: unknown) => Promise<unknown>> = {};
  for (const channel of Object.keys(IPC_CHANNELS) as ChannelName[]) {
    const { input, output } = IPC_CHANNELS[channel];
    const run = impl[channel] as (parsed: unknown) => Promise<Result<unknown>>;
    handlers[channel] = async (payload) => {
      const parsed = input.safeParse(payload);
      if (!parsed.success) return { ok: false, error: invalidInput(channel, parsed.error) };
      try {
        const result = await run(parsed.data);
        if (!result.ok) {
          const error = errorInfoSchema.safeParse(result.error);
          return { ok: false, error: error.success ? error.data : INTERNAL };
        }
        const checked = output.safeParse(result.value);
        if (checked.success) return { ok: true, value: checked.data };
        logger.error('IPC reply does not match the contract', {
          channel,
          issues: checked.error.issues.map((issue) => issue.path.join('.')),
        });
        return { ok: false, error: INTERNAL };
      } catch (error) {
        logger.error('IPC handler failed', { channel, error });
        return { ok: false, error: toErrorInfo(error) };
      }
    };
  }
  // Assembled from the same contract the type is derived from; the cast is the only link.
  return Object.freeze(handlers) as unknown as IpcHandlers;
}
