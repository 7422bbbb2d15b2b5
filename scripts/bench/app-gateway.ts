import { createCore } from '../../src-main/core/create-core.js';
import { SealedGatewayKey } from '../../src-main/gateway/gateway-key.js';
import { startGateway } from '../../src-main/gateway/gateway-server.js';
import { batchedSink } from '../../src-main/log/batched-sink.js';
import { createLogger } from '../../src-main/log/logger.js';
import { RotatingLogFile } from '../../src-main/log/rotating-log-file.js';
import { benchEnv } from './fixtures.js';

/** Where the benchmark's gateway keeps its data and log, and the fake provider it forwards to. */
export interface AppGatewayOptions {
  readonly fakeUrl: string;
  readonly apiKey: string;
  readonly dataDir: string;
  readonly logDir: string;
}

/** A running gateway: its address, the gateway key, and how to stop it (gateway, log, core). */
export interface AppGateway {
  readonly url: string;
  readonly key: string;
  readonly close: () => Promise<void>;
}

/**
 * The core on `dataDir` with the fake's OpenAI key saved, and the gateway as the app and
 * `the-maestro gateway` start it: the sealed gateway key from the store, and one line per request
 * through the redacting logger into a rotating log file, each round of I/O's lines written together.
 */
export async function startAppGateway(options: AppGatewayOptions): Promise<AppGateway> {
  const core = await createCore({
    dataDir: options.dataDir,
    env: benchEnv({ THE_MAESTRO_OPENAI_API_BASE_URL: options.fakeUrl }),
    purpose: 'bench',
  });
  await core.auth.saveApiKey({ provider: 'openai', apiKey: options.apiKey, validate: false });
  const key = new SealedGatewayKey(core.store);
  const logFile = new RotatingLogFile();
  logFile.openIn(options.logDir);
  const lines = batchedSink((batch) => logFile.writeAll(batch));
  const logger = createLogger({ sink: lines.sink, level: 'info', scope: 'agent' });
  const gateway = await startGateway({ credentials: core.auth, key, logger });
  return {
    url: gateway.url,
    key: key.current(),
    close: async () => {
      await gateway.close();
      lines.flush();
      logFile.close();
      await core.dispose();
    },
  };
}
