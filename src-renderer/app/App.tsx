import { useEffect, useState } from 'react';
import { AccountsTab } from '../components/AccountsTab.js';
import { ErrorMessage } from '../components/Feedback.js';
import { ModelsTab } from '../components/ModelsTab.js';
import { ProviderCard } from '../components/ProviderCard.js';
import { PlanNotice } from '../components/PlanUsage.js';
import { SettingsTab } from '../components/SettingsTab.js';
import { StorageNotice } from '../components/StorageNotice.js';
import { Tabs, type TabSpec } from '../components/Tabs.js';
import { MaestroContext, useMaestroState } from './maestro-context.js';
import type { MaestroStore } from './maestro-store.js';

type TabId = 'providers' | 'models' | 'accounts' | 'settings';
const TABS: readonly TabSpec<TabId>[] = [
  { id: 'providers', label: 'Providers' },
  { id: 'models', label: 'Models' },
  { id: 'accounts', label: 'Accounts' },
  { id: 'settings', label: 'Settings' },
];

/** Placeholder cards of the final size, so nothing jumps when the status arrives. */
function LoadingCards() {
  return (
    <div className="cards" aria-busy="true" aria-label="Loading providers">
      {[0, 1, 2].map((index) => (
        <div key={index} className="card skeleton" />
      ))}
    </div>
  );
}

/** The window: header with the active provider, tabs for providers, models, accounts, settings. */
export function App({ store }: { readonly store: MaestroStore }) {
  const state = useMaestroState(store);
  const [tab, setTab] = useState<TabId>('providers');
  const { status, settings, loadError } = state;
  useEffect(() => {
    // The theme setting wins over the system's preference; "system" leaves it to CSS.
    document.documentElement.dataset.theme = settings?.theme ?? 'system';
  }, [settings?.theme]);

  const active = status?.providers.find((provider) => provider.id === status.activeProvider);
  return (
    <MaestroContext.Provider value={state}>
      <header className="app-header">
        <h1>The Maestro</h1>
        <p className="active-summary" aria-live="polite">
          {active ? (
            <>
              Active: <strong>{active.displayName}</strong>
              {active.account ? ` (${active.account})` : ''} · {active.selectedModel ?? 'no model selected'}
              {active.planSignIn?.inUse === true ? ` · Using ${active.planSignIn.planName}` : ''}
            </>
          ) : status ? (
            'No active provider'
          ) : (
            ' '
          )}
        </p>
      </header>
      <main>
        {status ? <StorageNotice status={status} compact /> : null}
        {status?.providers
          .filter((provider) => provider.planSignIn?.noticeDue === true)
          .slice(0, 1)
          .map((provider) => (
            <PlanNotice key={provider.id} provider={provider} />
          ))}
        <Tabs tabs={TABS} selected={tab} onSelect={setTab}>
          {loadError !== null ? <ErrorMessage error={loadError} announce /> : null}
          {status === null ? (
            loadError === null ? (
              <LoadingCards />
            ) : null
          ) : tab === 'providers' ? (
            <div className="cards">
              {status.providers.map((provider) => (
                <ProviderCard key={provider.id} provider={provider} active={provider.id === status.activeProvider} />
              ))}
            </div>
          ) : tab === 'models' ? (
            <ModelsTab status={status} />
          ) : tab === 'accounts' ? (
            <AccountsTab status={status} />
          ) : settings !== null ? (
            <SettingsTab status={status} settings={settings} />
          ) : null}
        </Tabs>
      </main>
    </MaestroContext.Provider>
  );
}
