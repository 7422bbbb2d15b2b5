import type { CredentialState } from '../../src-shared/auth-types.js';
import { assertNever } from '../../src-shared/errors.js';
import type { AccountView, ProviderStatusView, StatusView } from '../../src-shared/view-models.js';
import { PRODUCT_NAME } from './app-identity.js';

/** What clicking a tray item does; the tray adapter maps these to calls on the core and the window. */
export type TrayAction =
  | { readonly type: 'activate'; readonly provider: string; readonly account: string | null }
  | { readonly type: 'sign-in'; readonly provider: string | null }
  | { readonly type: 'open-window' }
  | { readonly type: 'install-command-line-tool' }
  | { readonly type: 'uninstall-command-line-tool' }
  | { readonly type: 'quit' };

/** A menu item as plain data (the shape of Electron's MenuItemConstructorOptions, minus `click`). */
export interface TrayMenuItem {
  readonly type: 'normal' | 'separator' | 'radio';
  readonly label?: string;
  readonly checked?: boolean;
  readonly enabled?: boolean;
  readonly action?: TrayAction;
}

/** The three states the tray tells apart. */
export type TrayEntryState = 'signed in' | 'needs sign-in' | 'unavailable';

/** Maps a credential state to what the tray says about it. */
export function trayEntryState(state: CredentialState): TrayEntryState {
  switch (state) {
    case 'valid':
    case 'unverified': // stored and used as it is; the provider has not answered for it yet
    case 'expiring':
    case 'expired': // a refresh is due; the core does it on the next use
      return 'signed in';
    case 'invalid':
    case 'missing':
      return 'needs sign-in';
    case 'unavailable':
      return 'unavailable';
    default:
      return assertNever(state, 'credential state');
  }
}

function entryAction(provider: string, account: string | null, state: TrayEntryState): TrayAction {
  return state === 'needs sign-in' ? { type: 'sign-in', provider } : { type: 'activate', provider, account };
}

function providerEntries(provider: ProviderStatusView, activeProvider: string | null): TrayMenuItem[] {
  const isActiveProvider = provider.id === activeProvider;
  const model = provider.selectedModel !== null ? ` · ${provider.selectedModel}` : '';
  if (provider.accounts.length === 0) {
    const state = trayEntryState(provider.state);
    const source = provider.source === 'env' && state === 'signed in' ? ' (environment key)' : '';
    return [
      {
        type: 'radio',
        label: `${provider.displayName} — ${state}${source}${isActiveProvider ? model : ''}`,
        checked: isActiveProvider,
        enabled: true,
        action: entryAction(provider.id, null, state),
      },
    ];
  }
  const current = provider.account ?? provider.accounts[0]?.account ?? null;
  const shown = accountsForTray(provider.accounts, current);
  const entries: TrayMenuItem[] = shown.map((account: AccountView) => {
    const state = trayEntryState(account.state);
    const checked = isActiveProvider && account.account === current;
    return {
      type: 'radio',
      label: `${provider.displayName} · ${account.account} — ${state}${checked ? model : ''}`,
      checked,
      enabled: true,
      action: entryAction(provider.id, account.account, state),
    };
  });
  const hidden = provider.accountTotal - shown.length;
  if (hidden > 0) {
    entries.push({
      type: 'normal',
      label: `${provider.displayName}: ${hidden} more account${hidden === 1 ? '' : 's'}…`,
      enabled: true,
      action: { type: 'open-window' },
    });
  }
  return entries;
}

/** How many accounts of one provider the tray lists; the window lists them all. */
export const TRAY_ACCOUNT_LIMIT = 8;

/** The first accounts in listing order, always including the one in use. */
function accountsForTray(accounts: readonly AccountView[], current: string | null): readonly AccountView[] {
  if (accounts.length <= TRAY_ACCOUNT_LIMIT) return accounts;
  const first = accounts.slice(0, TRAY_ACCOUNT_LIMIT);
  if (current === null || first.some((account) => account.account === current)) return first;
  const inUse = accounts.filter((account) => account.account === current);
  return [...first.slice(0, Math.max(0, TRAY_ACCOUNT_LIMIT - inUse.length)), ...inUse];
}

/**
 * The tray's provider switcher, built from main-process state only (a StatusView from
 * `auth.status()`): one radio entry per provider account (or per provider without accounts), at
 * most TRAY_ACCOUNT_LIMIT per provider with an entry that opens the window for the rest, the
 * active one checked and showing its selected model, then the fixed actions.
 */
export function buildTrayTemplate(
  status: StatusView,
  extras: { readonly commandLineTool?: boolean } = {},
): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  for (const provider of status.providers) items.push(...providerEntries(provider, status.activeProvider));
  if (!status.storage.persistent) {
    items.push({ type: 'separator' }, { type: 'normal', label: 'Credentials are kept in memory only', enabled: false });
  }
  items.push(
    { type: 'separator' },
    { type: 'normal', label: 'Sign in…', enabled: true, action: { type: 'sign-in', provider: null } },
    { type: 'normal', label: `Open ${PRODUCT_NAME}`, enabled: true, action: { type: 'open-window' } },
  );
  // The desktop app's only menu: where the command-line tool is installed and removed besides Settings.
  if (extras.commandLineTool === true) {
    items.push(
      {
        type: 'normal',
        label: 'Install command-line tool…',
        enabled: true,
        action: { type: 'install-command-line-tool' },
      },
      {
        type: 'normal',
        label: 'Uninstall command-line tool…',
        enabled: true,
        action: { type: 'uninstall-command-line-tool' },
      },
    );
  }
  items.push({ type: 'separator' }, { type: 'normal', label: 'Quit', enabled: true, action: { type: 'quit' } });
  return items;
}

/** The tray icon's tooltip: the product and the active provider, account and model. */
export function buildTrayToolTip(status: StatusView): string {
  const active = status.providers.find((provider) => provider.id === status.activeProvider);
  if (active === undefined) return `${PRODUCT_NAME} — no active provider`;
  const account = active.account !== null ? ` (${active.account})` : '';
  const model = active.selectedModel !== null ? ` · ${active.selectedModel}` : '';
  return `${PRODUCT_NAME} — ${active.displayName}${account}${model}`;
}
