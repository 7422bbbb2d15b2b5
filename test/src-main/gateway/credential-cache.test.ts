import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors.js';
import type { ResolvedCredential } from '../../../src-main/core/auth-service.js';
import { EXPIRY_MARGIN_MS } from '../../../src-main/core/credentials.js';
import { CREDENTIAL_REUSE_MS, CredentialCache } from '../../../src-main/gateway/credential-cache.js';
import type { GatewayCredentials } from '../../../src-main/gateway/gateway-types.js';

/** A credential source whose change version and answers the test sets, counting its resolutions. */
class Source implements GatewayCredentials {
  version = 'v1';
  resolutions = 0;
  secret = 'sk-first';
  expiresAt: number | null = null;
  fails = false;

  async resolve(provider: string): Promise<Result<ResolvedCredential>> {
    this.resolutions += 1;
    await Promise.resolve();
    if (this.fails) return { ok: false, error: { code: 'not_authenticated', message: 'no credential' } };
    return {
      ok: true,
      value: {
        provider,
        source: 'api_key',
        method: this.expiresAt === null ? 'api_key' : 'oauth',
        account: 'default',
        headers: { authorization: `Bearer ${this.secret}` },
        secret: this.secret,
        expiresAt: this.expiresAt,
        apiBaseUrl: 'http://127.0.0.1:1',
        plan: null,
      },
    };
  }

  changeVersion(): string {
    return this.version;
  }
}

async function secretOf(cache: CredentialCache, key = 'openai\u0000'): Promise<string | undefined> {
  const kept = cache.get(key);
  if (kept !== undefined) return kept.value.secret;
  const { resolution } = await cache.resolve(key, 'openai', {});
  return resolution.ok ? resolution.value.secret : undefined;
}

describe('the gateway keeps a resolved credential between requests', () => {
  it('while the change version stays the same, and resolves again once it changes', async () => {
    const source = new Source();
    const cache = new CredentialCache(source);
    expect(await secretOf(cache)).toBe('sk-first');
    expect(await secretOf(cache)).toBe('sk-first');
    expect(source.resolutions).toBe(1);
    source.secret = 'sk-second';
    source.version = 'v2';
    expect(await secretOf(cache)).toBe('sk-second');
    expect(source.resolutions).toBe(2);
  });

  it('for at most CREDENTIAL_REUSE_MS, whatever the version says', async () => {
    let now = 1_000_000;
    const source = new Source();
    const cache = new CredentialCache(source, () => now);
    await secretOf(cache);
    now += CREDENTIAL_REUSE_MS - 1;
    await secretOf(cache);
    expect(source.resolutions).toBe(1);
    now += 1;
    await secretOf(cache);
    expect(source.resolutions).toBe(2);
  });

  it('an OAuth token only until it enters the refresh margin before its expiry', async () => {
    let now = 1_000_000;
    const source = new Source();
    source.expiresAt = now + EXPIRY_MARGIN_MS + 100;
    const cache = new CredentialCache(source, () => now);
    await secretOf(cache);
    now += 99;
    await secretOf(cache);
    expect(source.resolutions).toBe(1);
    now += 1;
    await secretOf(cache);
    expect(source.resolutions).toBe(2);
    // Already within the margin when resolved: not kept at all.
    await secretOf(cache);
    expect(source.resolutions).toBe(3);
  });

  it('keeps no failure, nothing for a source without a change version, and forgets on request', async () => {
    const source = new Source();
    const cache = new CredentialCache(source);
    source.fails = true;
    await secretOf(cache);
    await secretOf(cache);
    expect(source.resolutions).toBe(2);
    source.fails = false;
    await secretOf(cache);
    cache.forget('openai\u0000');
    await secretOf(cache);
    expect(source.resolutions).toBe(4);
    const unversioned = new CredentialCache({ resolve: (provider) => source.resolve(provider) });
    await secretOf(unversioned);
    await secretOf(unversioned);
    expect(source.resolutions).toBe(6);
  });

  it('keeps each provider and account apart', async () => {
    const source = new Source();
    const cache = new CredentialCache(source);
    await secretOf(cache, 'openai\u0000');
    await secretOf(cache, 'openai\u0000work');
    await secretOf(cache, 'anthropic\u0000');
    await secretOf(cache, 'openai\u0000work');
    expect(source.resolutions).toBe(3);
  });

  it('does not keep a credential resolved while the version moved (a write during the resolve)', async () => {
    const source = new Source();
    const cache = new CredentialCache(source);
    const resolving = cache.resolve('openai\u0000', 'openai', {});
    source.version = 'v2';
    await resolving;
    expect(cache.get('openai\u0000')).toBeUndefined();
  });
});
