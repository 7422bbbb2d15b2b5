import { describe, expect, it } from 'vitest';
import { EXPIRY_MARGIN_MS, credentialStateOf } from '../../../src-main/core/credentials.js';
import type { CredentialMeta } from '../../../src-main/core/store/credential-store.js';

describe('credentialStateOf', () => {
  const base = saveKeyMeta();
  function saveKeyMeta(): Omit<CredentialMeta, 'authMethod' | 'expiresAt' | 'invalidReason'> {
    return {
      id: 'x',
      userId: 'local',
      provider: 'openai',
      accountLabel: 'default',
      generation: 1,
      keyId: 'k',
      maskedSecret: null,
      identity: null,
      createdAt: 0,
      updatedAt: 0,
      verified: true,
    };
  }

  it('judges OAuth expiry with the refresh margin, and an invalid mark above all', () => {
    const now = 1_000_000_000;
    const oauth = (expiresAt: number | null): CredentialMeta => ({
      ...base,
      authMethod: 'oauth',
      expiresAt,
      invalidReason: null,
    });
    expect(credentialStateOf(oauth(now + EXPIRY_MARGIN_MS + 1), now)).toBe('valid');
    expect(credentialStateOf(oauth(now + EXPIRY_MARGIN_MS), now)).toBe('expiring');
    expect(credentialStateOf(oauth(now), now)).toBe('expired');
    expect(
      credentialStateOf({ ...oauth(null), invalidReason: { code: 'reauth_required', message: 'again' } }, now),
    ).toBe('invalid');
    expect(credentialStateOf({ ...base, authMethod: 'api_key', expiresAt: null, invalidReason: null }, now)).toBe(
      'valid',
    );
  });

  it('calls a key no provider has accepted unverified, and one a provider refused invalid', () => {
    const key = { ...base, authMethod: 'api_key', expiresAt: null, invalidReason: null } as const;
    expect(credentialStateOf({ ...key, verified: false }, 0)).toBe('unverified');
    expect(
      credentialStateOf({ ...key, verified: false, invalidReason: { code: 'invalid_credentials', message: '401' } }, 0),
    ).toBe('invalid');
    expect(credentialStateOf(key, 0)).toBe('valid');
  });
});
