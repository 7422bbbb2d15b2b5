/**
 * The validation messages a person (or a log) reads, pinned word for word: configuration
 * problems, a refused fallback order, refused IPC requests. The schemas use zod/mini, which has no
 * locale of its own; these snapshots were recorded with classic zod and must not change.
 * Also pins what the schemas accept, default, trim and drop, which the migration must not change.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS, IPC_EVENTS, type ChannelName } from '../../src-shared/ipc-contract.js';
import { errorInfoSchema, modelInfoSchema, oauthStartViewSchema } from '../../src-shared/ipc-schemas.js';
import { loadConfig } from '../../src-main/config/load-config.js';
import { parseInvalidReason } from '../../src-main/core/store/sqlite/credential-row.js';
import { createIpcHandlers } from '../../src-main/ipc/ipc-handlers.js';
import { parsePreferences, parsePreferencesPatch } from '../../src-main/preferences/preferences-schema.js';
import { FilePreferencesStore } from '../../src-main/preferences/file-preferences.js';
import { CoreSettingsStore } from '../../src-main/core/session/settings.js';
import type { StateStore } from '../../src-main/core/store/state-store.js';
import { credentialSchema } from '../../src-main/core/credentials.js';
import { PROVIDER_DEFINITIONS } from '../../src-main/core/providers/registry.js';
import { ANTHROPIC_OAUTH_POLICY } from '../../src-main/core/providers/anthropic.js';
import { GOOGLE_INVALID_GRANT_ADVICE, QUOTA_PROJECT_FIX } from '../../src-main/core/providers/google.js';
import { createAuthServiceDouble } from '../support/auth-service-double.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-messages-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(content: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env }).problems.map((problem) =>
    problem.message.replace(file, '<file>'),
  );
}

describe('configuration problems', () => {
  it('name the field and say what was expected', () => {
    expect(
      problemsOf({
        $schema: 1,
        providers: {
          anthropic: {
            apiBaseUrl: '',
            apiKey: 'sk-plaintext',
            apiKeyEnv: [],
            requestTimeoutMs: 1.5,
            oauth: {
              clientId: { env: '1BAD' },
              clientSecret: { env: 'OK', extra: 1 },
              issuer: 42,
              discovery: 'yes',
              authorizationEndpoint: 'x'.repeat(2049),
              scopes: ['has space'],
              redirectMode: 'popup',
              loopbackPorts: [70_000],
            },
          },
          openai: {
            apiBaseUrl: {},
            apiKey: { env: '' },
            apiKeyEnv: ['a-b'],
            requestTimeoutMs: 50,
            oauth: { tokenEndpoint: null, scopes: [''], loopbackPorts: [], pasteRedirectUri: ['x'] },
          },
          google: {
            apiKeyEnv: 'GEMINI_API_KEY',
            requestTimeoutMs: 300_001,
            oauth: {
              scopes: Array.from({ length: 33 }, () => 'openid'),
              loopbackPorts: [1.5, -1],
              revocationEndpoint: { env: 'A', env2: 'B' },
            },
          },
        },
        fallbackOrder: ['oauth', 'oauth'],
        deepLinkScheme: 'Not A Scheme',
        requestTimeoutMs: '15000',
      }),
    ).toMatchInlineSnapshot(`
      [
        "<file>.$schema: Invalid input: expected string, received number; the default is used",
        "<file>.fallbackOrder: must not repeat a method; the default is used",
        "<file>.deepLinkScheme: must be a reverse-DNS URI scheme such as app.themaestro.desktop; the default is used",
        "<file>.requestTimeoutMs: Invalid input: expected number, received string; the default is used",
        "<file>: providers.anthropic.apiBaseUrl: Too small: expected string to have >=1 characters; the default is used",
        "<file>: providers.anthropic.apiKey: must not hold the key itself: keys may only be referenced, as { "env": "VARIABLE_NAME" }; the default is used",
        "<file>: providers.anthropic.apiKeyEnv: Too small: expected array to have >=1 items; the default is used",
        "<file>: providers.anthropic.requestTimeoutMs: Invalid input: expected int, received number; the default is used",
        "<file>: providers.anthropic.oauth.clientId: must be an environment variable name; the default is used",
        "<file>: providers.anthropic.oauth.clientSecret: Unrecognized key: "extra"; the default is used",
        "<file>: providers.anthropic.oauth.issuer: Invalid input; the default is used",
        "<file>: providers.anthropic.oauth.discovery: Invalid input: expected boolean, received string; the default is used",
        "<file>: providers.anthropic.oauth.authorizationEndpoint: Too big: expected string to have <=2048 characters; the default is used",
        "<file>: providers.anthropic.oauth.scopes: must be a valid OAuth scope; the default is used",
        "<file>: providers.anthropic.oauth.redirectMode: Invalid option: expected one of "loopback"|"deep_link"|"paste"; the default is used",
        "<file>: providers.anthropic.oauth.loopbackPorts: Too big: expected number to be <=65535; the default is used",
        "<file>: providers.google.apiKeyEnv: Invalid input: expected array, received string; the default is used",
        "<file>: providers.google.requestTimeoutMs: Too big: expected number to be <=300000; the default is used",
        "<file>: providers.google.oauth.scopes: Too big: expected array to have <=32 items; the default is used",
        "<file>: providers.google.oauth.loopbackPorts: Invalid input: expected int, received number; the default is used",
        "<file>: providers.google.oauth.revocationEndpoint: Unrecognized key: "env2"; the default is used",
        "<file>: providers.openai.apiBaseUrl: Invalid input; the default is used",
        "<file>: providers.openai.apiKey: must be an environment variable name; the default is used",
        "<file>: providers.openai.apiKeyEnv: must be an environment variable name; the default is used",
        "<file>: providers.openai.requestTimeoutMs: Too small: expected number to be >=100; the default is used",
        "<file>: providers.openai.oauth.tokenEndpoint: Invalid input; the default is used",
        "<file>: providers.openai.oauth.scopes: Too small: expected string to have >=1 characters; the default is used",
        "<file>: providers.openai.oauth.loopbackPorts: Too small: expected array to have >=1 items; the default is used",
        "<file>: providers.openai.oauth.pasteRedirectUri: Invalid input; the default is used",
      ]
    `);
  });

  it('of other kinds keep their wording too', () => {
    expect(problemsOf({ providers: 'all', fallbackOrder: [], deepLinkScheme: 7 })).toMatchInlineSnapshot(`
      [
        "<file>.providers: Invalid input: expected record, received string; the default is used",
        "<file>.fallbackOrder: Too small: expected array to have >=1 items; the default is used",
        "<file>.deepLinkScheme: Invalid input: expected string, received number; the default is used",
      ]
    `);
    expect(problemsOf({ fallbackOrder: ['oauth', 'api_key', 'env', 'oauth'] })).toMatchInlineSnapshot(`
      [
        "<file>.fallbackOrder: Too big: expected array to have <=3 items; the default is used",
      ]
    `);
    expect(problemsOf({ fallbackOrder: ['password'] })).toMatchInlineSnapshot(`
      [
        "<file>.fallbackOrder: Invalid option: expected one of "oauth"|"api_key"|"env"; the default is used",
      ]
    `);
    expect(
      problemsOf({
        fallbackOrder: 'oauth',
        providers: { openai: { apiKeyEnv: Array.from({ length: 9 }, () => 'K') } },
      }),
    ).toMatchInlineSnapshot(`
      [
        "<file>.fallbackOrder: Invalid input: expected array, received string; the default is used",
        "<file>: providers.openai.apiKeyEnv: Too big: expected array to have <=8 items; the default is used",
      ]
    `);
    expect(problemsOf({}, { THE_MAESTRO_DEEP_LINK_SCHEME: 'BAD' })).toMatchInlineSnapshot(`
      [
        "THE_MAESTRO_DEEP_LINK_SCHEME: must be a reverse-DNS URI scheme such as app.themaestro.desktop; the default is used",
      ]
    `);
  });
});

describe('fallback order refused by the core settings', () => {
  it('says why', () => {
    const state = new Map<string, unknown>();
    let version = 0;
    const store = {
      changeVersion: () => String(version),
      getState: (key: string) => state.get(key) ?? null,
      setState: (key: string, value: unknown) => {
        state.set(key, value);
        version += 1;
      },
    } as unknown as StateStore;
    const settings = new CoreSettingsStore(store, ['oauth', 'api_key', 'env']);
    const refusal = (order: readonly unknown[]): string => {
      const result = settings.update({ fallbackOrder: order as never });
      return result.ok ? 'accepted' : result.error.message;
    };
    expect([
      refusal([]),
      refusal(['env', 'env']),
      refusal(['oauth', 'api_key', 'env', 'oauth']),
      refusal(['password']),
      refusal([1]),
    ]).toMatchInlineSnapshot(`
      [
        "Too small: expected array to have >=1 items",
        "The fallback order must not repeat a method.",
        "Too big: expected array to have <=3 items",
        "Invalid option: expected one of "oauth"|"api_key"|"env"",
        "Invalid option: expected one of "oauth"|"api_key"|"env"",
      ]
    `);
    expect(refusal(['env'])).toBe('accepted');
    expect(settings.get().fallbackOrder).toEqual(['env']);
  });
});

describe('refused IPC requests', () => {
  it('name the field and say what was expected, for every channel', async () => {
    const preferences = new FilePreferencesStore(join(dir, 'preferences.json'));
    const handlers = createIpcHandlers({ auth: createAuthServiceDouble(), preferences });
    const cases: [ChannelName, unknown][] = [
      ['providers.list', null],
      ['providers.list', 'providers'],
      ['providers.list', [{}]],
      ['providers.list', { a: 1, b: 2, c: 3, d: 4, e: 5 }],
      ['providers.list', { ['k'.repeat(60)]: 1 }],
      ['auth.saveApiKey', {}],
      ['auth.saveApiKey', { provider: 'Anthropic', apiKey: 'k' }],
      ['auth.saveApiKey', { provider: 'a'.repeat(33), apiKey: 'k' }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: '   ' }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'has space' }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'k'.repeat(4097) }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 42 }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'k', account: ' leading' }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'k', account: 'a'.repeat(65) }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'k', account: undefined }],
      ['auth.saveApiKey', { provider: 'anthropic', apiKey: 'k', validate: 'yes' }],
      ['auth.startOAuth', { provider: 'google', redirectMode: 'popup' }],
      ['auth.submitPastedCode', { flowId: '', pasted: '  ' }],
      ['auth.submitPastedCode', { flowId: 'bad id', pasted: 'x'.repeat(8193) }],
      ['auth.cancelOAuth', { flowId: 'f'.repeat(129) }],
      ['auth.logout', { provider: 'openai', method: 'env' }],
      ['accounts.rename', { provider: 'anthropic', from: 'a', to: { nested: 1 } }],
      ['models.list', { provider: 'anthropic', refresh: 1 }],
      ['models.select', { provider: 'anthropic', model: 'bad model' }],
      ['models.select', { provider: 'anthropic', model: '' }],
      ['settings.update', {}],
      ['settings.update', { fallbackOrder: ['env', 'env'] }],
      ['settings.update', { fallbackOrder: [] }],
      ['settings.update', { fallbackOrder: ['password'] }],
      ['settings.update', { fallbackOrder: 'oauth' }],
      ['settings.update', { theme: 'blue', closeToTray: 'no' }],
      ['settings.update', JSON.parse('{"__proto__": {"polluted": true}}')],
    ];
    const messages: string[] = [];
    for (const [channel, payload] of cases) {
      const reply = await handlers[channel](payload);
      messages.push(reply.ok ? `${channel}: accepted` : reply.error.message);
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "Invalid request to providers.list: payload: Invalid input: expected object, received null.",
        "Invalid request to providers.list: payload: Invalid input: expected object, received string.",
        "Invalid request to providers.list: payload: Invalid input: expected object, received array.",
        "Invalid request to providers.list: payload has unexpected field(s) "a", "b", "c" and 2 more.",
        "Invalid request to providers.list: payload has unexpected field(s) "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…".",
        "Invalid request to auth.saveApiKey: provider: Invalid input: expected string, received undefined; apiKey: Invalid input: expected string, received undefined.",
        "Invalid request to auth.saveApiKey: provider: must be a provider id such as "anthropic".",
        "Invalid request to auth.saveApiKey: provider: Too big: expected string to have <=32 characters; provider: must be a provider id such as "anthropic".",
        "Invalid request to auth.saveApiKey: apiKey: must not be empty; apiKey: must be printable characters without spaces.",
        "Invalid request to auth.saveApiKey: apiKey: must be printable characters without spaces.",
        "Invalid request to auth.saveApiKey: apiKey: Too big: expected string to have <=4096 characters.",
        "Invalid request to auth.saveApiKey: apiKey: Invalid input: expected string, received number.",
        "Invalid request to auth.saveApiKey: account: must be 1–64 letters, digits, spaces or ._@+- and start with a letter or digit.",
        "Invalid request to auth.saveApiKey: account: Too big: expected string to have <=64 characters; account: must be 1–64 letters, digits, spaces or ._@+- and start with a letter or digit.",
        "Invalid request to auth.saveApiKey: account: Invalid input: expected string, received undefined.",
        "Invalid request to auth.saveApiKey: validate: Invalid input: expected boolean, received string.",
        "Invalid request to auth.startOAuth: redirectMode: Invalid option: expected one of "loopback"|"deep_link"|"paste".",
        "Invalid request to auth.submitPastedCode: flowId: Too small: expected string to have >=1 characters; flowId: must be a flow id; pasted: must not be empty.",
        "Invalid request to auth.submitPastedCode: flowId: must be a flow id; pasted: Too big: expected string to have <=8192 characters.",
        "Invalid request to auth.cancelOAuth: flowId: Too big: expected string to have <=128 characters.",
        "Invalid request to auth.logout: method: Invalid option: expected one of "oauth"|"api_key".",
        "Invalid request to accounts.rename: to: Invalid input: expected string, received object.",
        "Invalid request to models.list: refresh: Invalid input: expected boolean, received number.",
        "Invalid request to models.select: model: must be a model id.",
        "Invalid request to models.select: model: Too small: expected string to have >=1 characters; model: must be a model id.",
        "Invalid request to settings.update: payload: must change at least one setting.",
        "Invalid request to settings.update: fallbackOrder: must not repeat a source.",
        "Invalid request to settings.update: fallbackOrder: Too small: expected array to have >=1 items.",
        "Invalid request to settings.update: fallbackOrder.0: Invalid option: expected one of "oauth"|"api_key"|"env".",
        "Invalid request to settings.update: fallbackOrder: Invalid input: expected array, received string; fallbackOrder: Too big: expected string to have <=3 characters.",
        "Invalid request to settings.update: theme: Invalid option: expected one of "system"|"light"|"dark"; closeToTray: Invalid input: expected boolean, received string.",
        "Invalid request to settings.update: payload has unexpected field(s) "__proto__"; payload: must change at least one setting.",
      ]
    `);
  });
});

describe('what the schemas accept, default, trim and drop', () => {
  it('is unchanged', () => {
    const saveApiKey = IPC_CHANNELS['auth.saveApiKey'].input.safeParse({
      provider: 'anthropic',
      apiKey: '  sk-key \n',
    });
    const pasted = IPC_CHANNELS['auth.submitPastedCode'].input.safeParse({ flowId: 'f:1', pasted: '  code#state  ' });
    const oauth = credentialSchema.safeParse({ kind: 'oauth', accessToken: 'a', expiresAt: 1, extra: 'dropped' });
    const apiKey = credentialSchema.safeParse({ kind: 'api_key', apiKey: '' });
    const started = oauthStartViewSchema.safeParse({
      flowId: 'f',
      provider: 'google',
      account: 'default',
      authorizationUrl: 'https://a/?state=dropped',
      startUrl: 'http://127.0.0.1:1455/start/abcdefghijklmnop',
      redirectMode: 'paste',
      acceptsPaste: true,
      expiresAt: 'x',
      browserOpened: false,
      secret: 'dropped',
    });
    const error = errorInfoSchema.safeParse({ code: 'internal', message: 'm', status: 1.5 });
    const errorUndefined = errorInfoSchema.safeParse({ code: 'internal', message: 'm', provider: undefined });
    const models = IPC_CHANNELS['models.list'].output.safeParse({
      provider: 'p',
      models: [{ id: 'm', displayName: 'M', secret: 'dropped' }],
      fetchedAt: null,
      stale: false,
      selectedModel: null,
      error: null,
    });
    const flow = IPC_EVENTS['auth.flowFinished'].safeParse({
      flowId: 'f',
      provider: 'p',
      account: 'a',
      ok: false,
      error: { code: 'oauth_denied', message: 'Denied.' },
    });
    expect({
      saveApiKey: saveApiKey.data,
      pasted: pasted.data,
      oauth: oauth.data,
      apiKey: apiKey.success,
      started: started.data,
      error: error.success,
      errorUndefined: errorUndefined.success,
      models: models.data,
      modelsFrozen: models.success && Object.isFrozen(models.data.models),
      flow: flow.data,
      model: modelInfoSchema.safeParse({ id: 'm', displayName: 'M', contextWindow: undefined }).success,
    }).toMatchInlineSnapshot(`
      {
        "apiKey": false,
        "error": false,
        "errorUndefined": false,
        "flow": {
          "account": "a",
          "error": {
            "code": "oauth_denied",
            "message": "Denied.",
          },
          "flowId": "f",
          "ok": false,
          "provider": "p",
        },
        "model": false,
        "models": {
          "error": null,
          "fetchedAt": null,
          "models": [
            {
              "displayName": "M",
              "id": "m",
            },
          ],
          "provider": "p",
          "selectedModel": null,
          "stale": false,
        },
        "modelsFrozen": true,
        "oauth": {
          "accessToken": "a",
          "expiresAt": 1,
          "kind": "oauth",
          "tokenType": "Bearer",
        },
        "pasted": {
          "flowId": "f:1",
          "pasted": "code#state",
        },
        "saveApiKey": {
          "apiKey": "sk-key",
          "provider": "anthropic",
        },
        "started": {
          "acceptsPaste": true,
          "account": "default",
          "browserOpened": false,
          "expiresAt": "x",
          "flowId": "f",
          "provider": "google",
          "redirectMode": "paste",
          "startUrl": "http://127.0.0.1:1455/start/abcdefghijklmnop",
        },
      }
    `);
  });

  it('is unchanged for stored data', () => {
    expect({
      reason: parseInvalidReason(
        JSON.stringify({ code: 'rate_limited', message: 'Slow down.', retryAfterSeconds: 3, extra: 1 }),
      ),
      badReason: parseInvalidReason(JSON.stringify({ code: 'nope', message: 'x' })),
      preferences: parsePreferences({
        theme: 'blue',
        closeToTray: true,
        windowBounds: { width: 800, height: 600.5 },
        other: 1,
      }),
      bounds: parsePreferences({ windowBounds: { x: -5, width: 800, height: 600, extra: 1 } }).windowBounds,
      patch: parsePreferencesPatch({ theme: 'dark', windowBounds: null }),
    }).toMatchInlineSnapshot(`
      {
        "badReason": {
          "code": "reauth_required",
          "message": "This credential was marked unusable; sign in again.",
        },
        "bounds": {
          "height": 600,
          "width": 800,
          "x": -5,
        },
        "patch": {
          "theme": "dark",
          "windowBounds": null,
        },
        "preferences": {
          "allowWeakStorage": false,
          "closeToTray": true,
          "gatewayPort": null,
          "passwordStore": "auto",
          "shareWithCommandLine": false,
          "theme": "system",
          "windowBounds": null,
        },
        "reason": {
          "code": "rate_limited",
          "message": "Slow down.",
          "retryAfterSeconds": 3,
        },
      }
    `);
    expect(() => parsePreferencesPatch({ theme: 'blue' as never })).toThrow();
    expect(() => parsePreferencesPatch({ closeToTray: undefined } as never)).toThrow();
  });
});

describe('provider request settings and the providers’ own guidance', () => {
  it('keep their wording', () => {
    expect(
      problemsOf(
        { providers: { anthropic: { apiVersion: 20261021 }, google: { quotaProject: 'Bad_Project' } } },
        { THE_MAESTRO_ANTHROPIC_API_VERSION: 'latest', GOOGLE_CLOUD_QUOTA_PROJECT: '-x' },
      ),
    ).toMatchInlineSnapshot(`
      [
        "<file>: providers.anthropic.apiVersion: Invalid input: expected string, received number; the default is used",
        "THE_MAESTRO_ANTHROPIC_API_VERSION: must be an API version date such as 2026-10-21; it was ignored",
        "<file>: providers.google.quotaProject: must be a Google Cloud project ID (6–30 lowercase letters, digits or hyphens, starting with a letter) or project number; the default is used",
        "GOOGLE_CLOUD_QUOTA_PROJECT: must be a Google Cloud project ID (6–30 lowercase letters, digits or hyphens, starting with a letter) or project number; it was ignored",
      ]
    `);
    expect(QUOTA_PROJECT_FIX).toMatchInlineSnapshot(
      `"Set your Google Cloud project (the one with the Generative Language API enabled) as the quota project: in the window (Quota project on Google’s card), with GOOGLE_CLOUD_QUOTA_PROJECT, or as providers.google.quotaProject in the config file."`,
    );
    expect(GOOGLE_INVALID_GRANT_ADVICE).toMatchInlineSnapshot(
      `"Most often the OAuth consent screen of your client is in Testing mode, where Google lets a sign-in last only 7 days; it also happens when access was removed at https://myaccount.google.com/permissions or the account's password changed. To stop the weekly expiry, publish the app (Google Auth Platform → Audience → Publish app)."`,
    );
    expect(ANTHROPIC_OAUTH_POLICY).toMatchInlineSnapshot(
      `"The Maestro does not offer sign-in with a Claude.ai Free, Pro or Max subscription: Anthropic's terms forbid third-party apps from offering that sign-in or using its tokens. Browser sign-in here is only for an organisation's own Anthropic OAuth client; otherwise use an API key from https://console.anthropic.com/settings/keys."`,
    );
  });
});
