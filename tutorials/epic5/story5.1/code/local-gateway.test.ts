import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiApi, type FakeOpenAiApi } from '../../../../test/fakes/index.js';
import { listModelsThrough, serveGateway, type RunningGateway } from './local-gateway.js';
import { openTutorialCore, type TutorialCore } from './tutorial-core.js';

const PERSONAL = 'sk-proj-tutorial-gateway-personal-1a2b';
const WORK = 'sk-proj-tutorial-gateway-work-3c4d';
let openai: FakeOpenAiApi;
let opened: TutorialCore;
let running: RunningGateway;

beforeAll(async () => {
  openai = await startOpenAiApi({ validKeys: [PERSONAL, WORK] });
  opened = await openTutorialCore({ env: { THE_MAESTRO_OPENAI_API_BASE_URL: openai.url } });
  await opened.core.auth.saveApiKey({ provider: 'openai', apiKey: WORK, account: 'work', validate: false });
  await opened.core.auth.saveApiKey({ provider: 'openai', apiKey: PERSONAL, account: 'personal', validate: false });
  await opened.core.auth.setActiveProvider({ provider: 'openai', account: 'personal' });
  running = await serveGateway(opened.core);
});

afterAll(async () => {
  await running.gateway.close();
  await opened.close();
  await openai.close();
});

describe('chapter 11 — the local gateway', () => {
  it('injects the active account, or the one a request names, in place of the gateway key', async () => {
    expect((await listModelsThrough(running)).status).toBe(200);
    expect(openai.lastRequest().headers.authorization).toBe(`Bearer ${PERSONAL}`);
    expect((await listModelsThrough(running, 'work')).status).toBe(200);
    expect(openai.lastRequest().headers.authorization).toBe(`Bearer ${WORK}`);
  });

  it('follows a switch of the active account on the next request', async () => {
    await opened.core.auth.setActiveProvider({ provider: 'openai', account: 'work' });
    await listModelsThrough(running);
    expect(openai.lastRequest().headers.authorization).toBe(`Bearer ${WORK}`);
  });

  it('refuses a client without the gateway key, in OpenAI error shape', async () => {
    const response = await fetch(`${running.gateway.url}/openai/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: 'authentication_error', code: 'missing_key' } });
  });
});
