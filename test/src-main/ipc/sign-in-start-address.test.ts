/**
 * What the window receives when it starts a sign-in: the one-time local start address, never the
 * authorization URL. Tested where it matters most — a returning Sign in with ChatGPT, whose
 * authorization URL carries the account's ID token as `id_token_hint` — through the IPC handlers
 * and through the web transport, against the real core and the local SIWC fake.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { START_ADDRESS_USED } from '../../../src-main/core/oauth/one-time-redirect.js';
import { MemoryKeyProvider } from '../../../src-main/core/store/key-providers/memory-key-provider.js';
import { createIpcHandlers, type IpcHandlers } from '../../../src-main/ipc/ipc-handlers.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { startWebApp } from '../../../src-main/web/web-app.js';
import type { WebServer } from '../../../src-main/web/web-server.js';
import { deliverToLoopback } from '../../fakes/browser-login.js';
import { startSiwcFake, type SiwcFake } from '../../fakes/openai-siwc.js';
import { authorizeInBrowser } from '../../fakes/siwc-browser.js';

/** A JWT (or any JWS compact serialisation): three base64url parts, the first a JSON object. */
const JWT_SHAPED = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

let fake: SiwcFake;
let dir: string;
let core: Core;
let handlers: IpcHandlers;
let web: WebServer;

/** Where a start address sends the browser (the authorization URL), asked the way a browser would. */
async function followStart(startUrl: string): Promise<URL> {
  const response = await fetch(startUrl, { redirect: 'manual' });
  await response.body?.cancel();
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) throw new Error(`the start address answered ${response.status}`);
  return new URL(location);
}

/** A POST to the web transport, as the window's shim sends it. */
function postWeb(channel: string, payload: unknown): Promise<string> {
  const body = JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: web.port,
        method: 'POST',
        path: `/ipc/${channel}`,
        headers: {
          authorization: `Bearer ${web.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

function startUrlOf(reply: unknown): string {
  const value = (reply as { ok: boolean; value?: { startUrl?: unknown } }).value;
  if (typeof value?.startUrl !== 'string') throw new Error(`no start address in ${JSON.stringify(reply)}`);
  return value.startUrl;
}

/** Everything of the authorization URL that must stay in main. */
function expectNothingOf(authorization: URL, reply: string): void {
  for (const name of ['id_token_hint', 'state', 'code_challenge', 'nonce']) {
    expect(reply).not.toContain(name);
    const value = authorization.searchParams.get(name);
    if (value !== null) expect(reply).not.toContain(value);
  }
  expect(reply).not.toMatch(JWT_SHAPED);
  expect(reply).not.toContain(authorization.origin);
}

beforeAll(async () => {
  fake = await startSiwcFake();
  dir = mkdtempSync(join(tmpdir(), 'maestro-start-address-'));
  core = await createCore({
    dataDir: dir,
    env: {
      THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
      THE_MAESTRO_OPENAI_OAUTH_ISSUER: fake.issuer,
      THE_MAESTRO_OPENAI_API_BASE_URL: fake.url,
    },
    keyProviders: [new MemoryKeyProvider({ key: new Uint8Array(32).fill(9), protection: 'key_file' })],
    purpose: 'test',
  });
  const preferences = new FilePreferencesStore(join(dir, 'preferences.json'));
  handlers = createIpcHandlers({ auth: core.auth, preferences });
  mkdirSync(join(dir, 'renderer'));
  web = await startWebApp({ auth: core.auth, preferences, staticDir: join(dir, 'renderer') });
  // The first sign-in registers; the account now has an ID token for the next one's hint.
  const first = await handlers['auth.startOAuth']({ provider: 'openai' });
  const flowId = (first as { value: { flowId: string } }).value.flowId;
  await deliverToLoopback(await authorizeInBrowser(fake, (await followStart(startUrlOf(first))).href));
  expect(await core.auth.waitForOAuth(flowId)).toMatchObject({ ok: true });
});

afterAll(async () => {
  await web.close();
  await core.dispose();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('starting a sign-in from the window', () => {
  it('over IPC: a returning Sign in with ChatGPT gets a start address, and no ID token, state or PKCE challenge', async () => {
    const reply = await handlers['auth.startOAuth']({ provider: 'openai' });
    const startUrl = startUrlOf(reply);
    expect(startUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/start\/[A-Za-z0-9_-]{32}$/);
    // The authorization URL behind it does carry them: what the reply must not.
    const authorization = await followStart(startUrl);
    expect(authorization.searchParams.get('id_token_hint')).toMatch(JWT_SHAPED);
    expect(authorization.searchParams.get('code_challenge')).toBeTruthy();
    expectNothingOf(authorization, JSON.stringify(reply));
    // And the sign-in still finishes through it.
    const flowId = (reply as { value: { flowId: string } }).value.flowId;
    await deliverToLoopback(await authorizeInBrowser(fake, authorization.href, { returning: true }));
    expect(await core.auth.waitForOAuth(flowId)).toMatchObject({ ok: true });
  });

  it('over the web transport: the same, byte for byte what the page receives', async () => {
    const body = await postWeb('auth.startOAuth', { provider: 'openai' });
    const reply: unknown = JSON.parse(body);
    const authorization = await followStart(startUrlOf(reply));
    expect(authorization.searchParams.has('id_token_hint')).toBe(true);
    expectNothingOf(authorization, body);
    await handlers['auth.cancelOAuth']({ flowId: (reply as { value: { flowId: string } }).value.flowId });
  });

  it('a start address opened twice says the second time that it was used and to start again', async () => {
    const reply = await handlers['auth.startOAuth']({ provider: 'openai' });
    const startUrl = startUrlOf(reply);
    await followStart(startUrl);
    const again = await fetch(startUrl, { redirect: 'manual' });
    expect(again.status).toBe(404);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toBe(`${START_ADDRESS_USED}\n`);
    // After the sign-in has ended, it still explains itself rather than failing to connect.
    await handlers['auth.cancelOAuth']({ flowId: (reply as { value: { flowId: string } }).value.flowId });
    expect(await (await fetch(startUrl, { redirect: 'manual' })).text()).toBe(`${START_ADDRESS_USED}\n`);
  });

  it('a start address never opened no longer leads to the provider once its sign-in has ended', async () => {
    const reply = await handlers['auth.startOAuth']({ provider: 'openai' });
    await handlers['auth.cancelOAuth']({ flowId: (reply as { value: { flowId: string } }).value.flowId });
    const late = await fetch(startUrlOf(reply), { redirect: 'manual' });
    expect(late.status).toBe(404);
    expect(late.headers.get('location')).toBeNull();
    expect(await late.text()).toBe(`${START_ADDRESS_USED}\n`);
  });
});
