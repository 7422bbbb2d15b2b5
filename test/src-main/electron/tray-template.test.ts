import { describe, expect, it } from 'vitest';
import {
  TRAY_ACCOUNT_LIMIT,
  buildTrayTemplate,
  buildTrayToolTip,
  trayEntryState,
} from '../../../src-main/electron/tray-template.js';
import { CREDENTIAL_STATES } from '../../../src-shared/auth-types.js';
import type { AccountView } from '../../../src-shared/view-models.js';
import { providerView, statusView } from '../../support/auth-service-double.js';

function account(provider: string, label: string, state: AccountView['state']): AccountView {
  return {
    credentialId: `${provider}-${label}`,
    provider,
    account: label,
    method: 'api_key',
    state,
    maskedKey: '…3f9a',
    identity: null,
    expiresAt: null,
    updatedAt: '2026-11-24T12:00:00.000Z',
    lastError: null,
  };
}

const status = statusView({
  activeProvider: 'anthropic',
  providers: [
    providerView('anthropic', {
      state: 'valid',
      account: 'work',
      selectedModel: 'claude-sonnet-4-5',
      accounts: [account('anthropic', 'personal', 'valid'), account('anthropic', 'work', 'valid')],
    }),
    providerView('google', { state: 'invalid', accounts: [account('google', 'default', 'invalid')] }),
    providerView('openai', { state: 'unavailable', source: 'env', selectedModel: 'gpt-5' }),
  ],
});

describe('the tray menu', () => {
  it('lists every provider account with its state, the active one checked with its model', () => {
    const template = buildTrayTemplate(status);
    const radios = template.filter((item) => item.type === 'radio');
    expect(radios.map((item) => [item.label, item.checked])).toEqual([
      ['Anthropic · personal — signed in', false],
      ['Anthropic · work — signed in · claude-sonnet-4-5', true],
      ['Google · default — needs sign-in', false],
      ['Openai — unavailable', false],
    ]);
  });

  it('switches to a signed-in account, and sends a needs-sign-in entry to the sign-in window', () => {
    const radios = buildTrayTemplate(status).filter((item) => item.type === 'radio');
    expect(radios[0]?.action).toEqual({ type: 'activate', provider: 'anthropic', account: 'personal' });
    expect(radios[2]?.action).toEqual({ type: 'sign-in', provider: 'google' });
    expect(radios[3]?.action).toEqual({ type: 'activate', provider: 'openai', account: null });
  });

  it('ends with Sign in…, Open The Maestro and Quit', () => {
    const labelled = buildTrayTemplate(status).filter((item) => item.type === 'normal');
    expect(labelled.map((item) => [item.label, item.action])).toEqual([
      ['Sign in…', { type: 'sign-in', provider: null }],
      ['Open The Maestro', { type: 'open-window' }],
      ['Quit', { type: 'quit' }],
    ]);
  });

  it('offers Install and Uninstall command-line tool… before Quit in the desktop app only', () => {
    const labels = (extras?: { commandLineTool: boolean }) =>
      buildTrayTemplate(status, extras)
        .filter((item) => item.type === 'normal')
        .map((item) => item.label);
    expect(labels({ commandLineTool: true })).toEqual([
      'Sign in…',
      'Open The Maestro',
      'Install command-line tool…',
      'Uninstall command-line tool…',
      'Quit',
    ]);
    expect(labels()).not.toContain('Install command-line tool…');
    expect(labels()).not.toContain('Uninstall command-line tool…');
  });

  it('says when credentials are kept in memory only', () => {
    const memoryOnly = statusView({
      storage: { level: 'memory_only', persistent: false, description: 'memory', warnings: [] },
    });
    expect(
      buildTrayTemplate(memoryOnly).some(
        (item) => item.label === 'Credentials are kept in memory only' && item.enabled === false,
      ),
    ).toBe(true);
    expect(buildTrayTemplate(status).some((item) => item.label === 'Credentials are kept in memory only')).toBe(false);
  });

  it('marks an environment key as signed in, and checks a provider without accounts when active', () => {
    const envActive = statusView({
      activeProvider: 'openai',
      providers: [providerView('openai', { state: 'valid', source: 'env', selectedModel: 'gpt-5' })],
    });
    expect(buildTrayTemplate(envActive)[0]).toMatchObject({
      label: 'Openai — signed in (environment key) · gpt-5',
      checked: true,
    });
  });

  it('lists at most a few accounts per provider, keeps the one in use, and opens the window for the rest', () => {
    const labels = Array.from({ length: 50 }, (_, index) => `acct-${String(index).padStart(2, '0')}`);
    const many = statusView({
      activeProvider: 'openai',
      providers: [
        providerView('openai', {
          state: 'valid',
          account: 'acct-42',
          accounts: [...labels.map((label) => account('openai', label, 'valid'))],
          accountTotal: 3_000,
        }),
      ],
    });
    const template = buildTrayTemplate(many);
    const radios = template.filter((item) => item.type === 'radio');
    expect(radios).toHaveLength(TRAY_ACCOUNT_LIMIT);
    expect(radios.map((item) => item.label?.split(' — ')[0])).toEqual([
      ...labels.slice(0, TRAY_ACCOUNT_LIMIT - 1).map((label) => `Openai · ${label}`),
      'Openai · acct-42',
    ]);
    expect(radios.at(-1)?.checked).toBe(true);
    expect(template).toContainEqual({
      type: 'normal',
      label: `Openai: ${3_000 - TRAY_ACCOUNT_LIMIT} more accounts…`,
      enabled: true,
      action: { type: 'open-window' },
    });
  });

  it('maps every credential state to one of the three tray states', () => {
    expect(CREDENTIAL_STATES.map(trayEntryState)).toEqual([
      'signed in',
      'signed in',
      'signed in',
      'signed in',
      'needs sign-in',
      'needs sign-in',
      'unavailable',
    ]);
  });

  it('is plain data: no functions, nothing but what a StatusView says (no secrets to leak)', () => {
    const template = buildTrayTemplate(status);
    expect(JSON.parse(JSON.stringify(template))).toEqual(template);
    expect(JSON.stringify(template)).not.toContain('…3f9a');
  });

  it('names the active provider, account and model in the tooltip', () => {
    expect(buildTrayToolTip(status)).toBe('The Maestro — Anthropic (work) · claude-sonnet-4-5');
    expect(buildTrayToolTip(statusView())).toBe('The Maestro — no active provider');
  });
});
