import { createCore, type Core } from '../../../src-main/core/create-core.js';
import { startGateway } from '../../../src-main/gateway/gateway-server.js';
import { SealedGatewayKey } from '../../../src-main/gateway/gateway-key.js';
import type { GatewayHandle, GatewayOptions } from '../../../src-main/gateway/gateway-types.js';
import { createLogger } from '../../../src-main/log/logger.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../../fakes/index.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** Canary credentials: two accounts per provider, so switches can be seen at the fake. */
export const KEYS = {
  anthropic: {
    default: 'sk-ant-api03-gwcanary-anthropic-default-000',
    work: 'sk-ant-api03-gwcanary-anthropic-work-1111',
  },
  openai: { default: 'sk-proj-gwcanary-openai-default-2222222222', work: 'sk-proj-gwcanary-openai-work-33333333333' },
  google: { default: 'AIzaSyGwCanary-google-default-444444444', work: 'AIzaSyGwCanary-google-work-5555555555555' },
} as const;
export type ProviderId = keyof typeof KEYS;
export const PROVIDERS: readonly ProviderId[] = ['anthropic', 'openai', 'google'];

export interface GatewayFixture {
  readonly core: Core;
  /** The core's data directory (another core opened on it plays another process, the command line). */
  readonly dataDir: string;
  readonly fakes: { anthropic: FakeAnthropicApi; openai: FakeOpenAiApi; google: FakeGoogleApi };
  readonly gateway: GatewayHandle;
  readonly gatewayKey: string;
  readonly keySource: SealedGatewayKey;
  /** Every line the gateway logged. */
  readonly logLines: string[];
  close(): Promise<void>;
}

/**
 * The real core (encrypted store, config from env) with API keys for two accounts per provider,
 * each provider's base URL pointing at its local fake, and a gateway in front.
 */
export async function startGatewayFixture(options: Partial<GatewayOptions> = {}): Promise<GatewayFixture> {
  const [anthropic, openai, google] = await Promise.all([
    startAnthropicApi({ validKeys: Object.values(KEYS.anthropic) }),
    startOpenAiApi({ validKeys: Object.values(KEYS.openai) }),
    startGoogleApi({ validKeys: Object.values(KEYS.google) }),
  ]);
  const temp = makeTempDir('maestro-gateway-');
  const env = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
  };
  const core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
  for (const provider of PROVIDERS) {
    for (const account of ['work', 'default'] as const) {
      const saved = await core.auth.saveApiKey({ provider, apiKey: KEYS[provider][account], account, validate: false });
      if (!saved.ok) throw new Error(`fixture: saving ${provider}/${account} failed: ${saved.error.message}`);
    }
    await core.auth.setActiveProvider({ provider, account: 'default' });
  }
  const logLines: string[] = [];
  const keySource = new SealedGatewayKey(core.store);
  const gatewayKey = keySource.current();
  const gateway = await startGateway({
    credentials: core.auth,
    key: keySource,
    logger: createLogger({ sink: (line) => logLines.push(line), level: 'debug' }),
    ...options,
  });
  return {
    core,
    dataDir: temp.dir,
    fakes: { anthropic, openai, google },
    gateway,
    gatewayKey,
    keySource,
    logLines,
    close: async () => {
      await gateway.close();
      await core.dispose();
      await Promise.all([anthropic.close(), openai.close(), google.close()]);
      temp.remove();
    },
  };
}
