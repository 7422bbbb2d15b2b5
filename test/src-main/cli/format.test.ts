import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../src-main/cli/format.js';
import type { AccountView } from '../../../src-shared/view-models.js';
import { providerView, statusView } from '../../support/auth-service-double.js';

function account(label: string): AccountView {
  return {
    credentialId: `id-${label}`,
    provider: 'openai',
    account: label,
    method: 'api_key',
    state: 'valid',
    maskedKey: '…abcd',
    identity: null,
    expiresAt: null,
    updatedAt: '2026-11-24T12:00:00.000Z',
    lastError: null,
  };
}

function statusWith(accounts: readonly AccountView[], accountTotal: number): string {
  const status = {
    ...statusView(),
    activeProvider: 'openai',
    providers: [
      providerView('openai', {
        state: 'valid',
        source: 'api_key',
        activeMethod: 'api_key',
        account: 'a00',
        accounts,
        accountTotal,
      }),
    ],
  };
  return formatStatus(status, Date.parse('2026-11-24T12:00:00.000Z'));
}

describe('the-maestro status, for people', () => {
  it('names the other accounts of a provider', () => {
    const text = statusWith(['a00', 'a01', 'a02'].map(account), 3);
    expect(text).toContain('    other accounts: a01, a02\n');
  });

  it('names the first ten other accounts and counts the rest when a provider has many', () => {
    const labels = Array.from({ length: 50 }, (_, index) => `a${String(index).padStart(2, '0')}`);
    const text = statusWith(labels.map(account), 4_000);
    expect(text).toContain(
      `    other accounts: ${labels.slice(1, 11).join(', ')}, … (4000 stored credentials in all)\n`,
    );
  });
});
