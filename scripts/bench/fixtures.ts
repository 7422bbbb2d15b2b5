/**
 * The data every benchmark uses: realistic credentials (token sizes as the providers issue them)
 * stored in a real encrypted store in a temporary data directory, protected the way the command
 * line protects it (a 0600 key file in the data directory), so a child process opening the same
 * directory with the default key providers finds everything.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { systemClock } from '../../src-main/core/clock.js';
import { openDatabase } from '../../src-main/core/store/sqlite/open-database.js';
import { silentLogger } from '../../src-main/log/logger.js';
import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import type { Credential, OAuthCredential } from '../../src-main/core/credentials.js';
import { unlockDataKey } from '../../src-main/core/store/key-providers/data-key-unlock.js';
import { FileKeyProvider, MASTER_KEY_FILE } from '../../src-main/core/store/key-providers/file-key-provider.js';
import { DATABASE_FILE } from '../../src-main/core/store/open-store.js';
import { SqliteCredentialStore } from '../../src-main/core/store/sqlite/sqlite-store.js';

export const PROVIDERS = ['anthropic', 'google', 'openai'] as const;
export type BenchProvider = (typeof PROVIDERS)[number];

const HOUR_MS = 3_600_000;

function base64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A JWT-shaped token of about `length` characters (header.payload.signature). */
function jwtLike(length: number): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'bench', typ: 'JWT' })).toString('base64url');
  const signature = base64url(256);
  const payloadChars = Math.max(16, length - header.length - signature.length - 2);
  return `${header}.${base64url(Math.ceil((payloadChars * 3) / 4)).slice(0, payloadChars)}.${signature}`;
}

/**
 * An OAuth credential as each provider issues it: OpenAI's access and id tokens are JWTs of
 * about 1.8 and 1.3 kB; Google's access token is an opaque `ya29.` string with an id_token;
 * Anthropic's are `sk-ant-oat01-` / `sk-ant-ort01-` strings without an id_token.
 */
export function realisticOAuthCredential(provider: BenchProvider, expiresAt = Date.now() + HOUR_MS): OAuthCredential {
  const common = { kind: 'oauth' as const, tokenType: 'Bearer', expiresAt, email: 'ada@example.test' };
  switch (provider) {
    case 'openai':
      return {
        ...common,
        accessToken: jwtLike(1_800),
        refreshToken: `rt_${base64url(64)}`,
        idToken: jwtLike(1_300),
        // A Sign in with ChatGPT credential: the issued client and the plan scopes.
        scope: 'openid profile email offline_access resource.invoke chatgpt.tokens.use.direct',
        issuer: 'https://auth.openai.com',
        accountId: '5f2c8a9e-7b1d-4c3e-9a6f-0d8e2b4c6a1f',
        subject: '5f2c8a9e-7b1d-4c3e-9a6f-0d8e2b4c6a1f',
        clientId: `oaiapp_${base64url(12)}`,
      };
    case 'google':
      return {
        ...common,
        accessToken: `ya29.${base64url(160)}`,
        refreshToken: `1//${base64url(75)}`,
        idToken: jwtLike(1_100),
        scope: 'openid https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email',
        issuer: 'https://accounts.google.com',
        accountId: '109876543210987654321',
      };
    case 'anthropic':
      return {
        ...common,
        accessToken: `sk-ant-oat01-${base64url(72)}`,
        refreshToken: `sk-ant-ort01-${base64url(72)}`,
        scope: 'org:create_api_key user:profile user:inference',
        issuer: 'https://console.anthropic.com',
        accountId: 'a1b2c3d4-e5f6-4711-8899-aabbccddeeff',
      };
  }
}

/** An API key in each provider's format. */
export function realisticApiKey(provider: BenchProvider): string {
  switch (provider) {
    case 'openai':
      return `sk-proj-${base64url(120)}`;
    case 'google':
      return `AIzaSy${base64url(25).slice(0, 33)}`;
    case 'anthropic':
      return `sk-ant-api03-${base64url(70)}-${base64url(6)}AA`;
  }
}

export interface StoredFixture {
  readonly provider: BenchProvider;
  readonly authMethod: StoredAuthMethod;
  readonly accountLabel: string;
  readonly id: string;
  readonly credential: Credential;
}

export interface SeededDataDir {
  readonly dataDir: string;
  readonly databaseFile: string;
  /** The person's own credentials (account "default"): an OAuth sign-in and an API key per provider. */
  readonly fixtures: readonly StoredFixture[];
  /** The OpenAI OAuth credential, the largest: what the read benchmarks look up. */
  readonly lookup: StoredFixture;
}

/**
 * Creates a data directory holding, for each provider, an OAuth sign-in and an API key under
 * account "default", plus `extraAccounts` further credentials spread across providers, accounts
 * and methods. Everything goes through the real store (sealing, row binding) in one transaction.
 */
export async function seedDataDir(
  dataDir: string,
  options: { readonly extraAccounts?: number } = {},
): Promise<SeededDataDir> {
  const databaseFile = join(dataDir, DATABASE_FILE);
  const { db } = openDatabase({ file: databaseFile, clock: systemClock, logger: silentLogger });
  const unlocked = await unlockDataKey({
    db,
    providers: [new FileKeyProvider(join(dataDir, MASTER_KEY_FILE))],
    timeoutMs: 5_000,
    clock: systemClock,
    logger: silentLogger,
  });
  const store = new SqliteCredentialStore({ db, dataKey: unlocked.dataKey });
  const fixtures: StoredFixture[] = [];
  const put = (
    provider: BenchProvider,
    authMethod: StoredAuthMethod,
    accountLabel: string,
    credential: Credential,
  ): StoredFixture => {
    const expiresAt = credential.kind === 'oauth' ? (credential.expiresAt ?? null) : null;
    const meta = store.put({ provider, authMethod, accountLabel, credential, expiresAt, identity: 'ada@example.test' });
    return { provider, authMethod, accountLabel, id: meta.id, credential };
  };
  // One commit for the whole seed: store.put's own transactions nest as savepoints.
  db.transaction(() => {
    for (const provider of PROVIDERS) {
      fixtures.push(put(provider, 'oauth', 'default', realisticOAuthCredential(provider)));
      fixtures.push(put(provider, 'api_key', 'default', { kind: 'api_key', apiKey: realisticApiKey(provider) }));
    }
    const extra = options.extraAccounts ?? 0;
    for (let index = 0; index < extra; index += 1) {
      const provider = PROVIDERS[index % PROVIDERS.length] ?? 'openai';
      const label = `account-${String(Math.floor(index / 6)).padStart(5, '0')}`;
      const isOAuth = Math.floor(index / PROVIDERS.length) % 2 === 0;
      put(
        provider,
        isOAuth ? 'oauth' : 'api_key',
        label,
        isOAuth ? realisticOAuthCredential(provider) : { kind: 'api_key', apiKey: realisticApiKey(provider) },
      );
    }
  })();
  store.close();
  const lookup = fixtures.find((fixture) => fixture.provider === 'openai' && fixture.authMethod === 'oauth');
  if (lookup === undefined) throw new Error('the OpenAI sign-in was not seeded');
  return { dataDir, databaseFile, fixtures, lookup };
}

/**
 * The environment the core sees in benchmarks: nothing from the machine (no real key can leak in
 * or change the path measured), plus what the benchmark sets.
 */
export function benchEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return { ...extra };
}
