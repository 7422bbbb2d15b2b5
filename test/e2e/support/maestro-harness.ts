/**
 * Starts everything a browser test needs, in the test's own process so the test can steer it:
 * the three fake provider APIs, the local authorization servers (OIDC for Google and OpenAI,
 * Anthropic's JSON one), the REAL core pointed at them through its configuration variables, and
 * the loopback web transport serving the built renderer. Each test gets a fresh data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../../src-main/core/create-core.js';
import type { AuthService } from '../../../src-main/core/auth-service.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { FilePreferencesStore } from '../../../src-main/preferences/file-preferences.js';
import { startWebApp } from '../../../src-main/web/web-app.js';
import { GatewayController } from '../../../src-main/gateway/gateway-controller.js';
import { SealedGatewayKey } from '../../../src-main/gateway/gateway-key.js';
import { CommandLineTool } from '../../../src-main/cli-install/command-line-tool.js';
import {
  startAnthropicOAuthServer,
  ANTHROPIC_FAKE_CLIENT_ID,
  type AnthropicOAuthServer,
} from '../../fakes/anthropic-oauth.js';
import {
  startAnthropicApi,
  startGoogleApi,
  startOpenAiApi,
  type FakeAnthropicApi,
  type FakeGoogleApi,
  type FakeOpenAiApi,
} from '../../fakes/index.js';
import { startSiwcFake, type SiwcFake } from '../../fakes/openai-siwc.js';
import {
  GOOGLE_STYLE_CLIENT_ID,
  GOOGLE_STYLE_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
  startOidcServer,
  type OidcServer,
} from '../../fakes/oauth-server.js';

/** Keys the fakes accept. Long enough to be masked to their last four characters. */
export const VALID_KEYS = {
  anthropic: 'sk-ant-api03-e2e-valid-key-a001',
  google: 'AIzaSyE2E-valid-key-for-tests-g002',
  openai: 'sk-proj-e2e-valid-key-for-tests-o003',
} as const;

export interface MaestroHarness {
  /** The address to open (with the token in the fragment). */
  readonly appUrl: string;
  readonly anthropic: FakeAnthropicApi;
  readonly google: FakeGoogleApi;
  readonly openai: FakeOpenAiApi;
  readonly oidc: OidcServer;
  readonly anthropicOAuth: AnthropicOAuthServer;
  /** OpenAI's Sign in with ChatGPT (auth and API roles); OpenAI points at it when started with `chatgpt`. */
  readonly siwc: SiwcFake;
  readonly dataDir: string;
  /** The real core behind the page, for a test to set up state the UI would take long to build. */
  readonly auth: AuthService;
  close(): Promise<void>;
}

const STATIC_DIR = fileURLToPath(new URL('../../../out/renderer', import.meta.url));

export interface MaestroOptions {
  /**
   * OpenAI as it is out of the box: Sign in with ChatGPT with no configuration, against the SIWC
   * fake (its API role also takes the OpenAI test key). Otherwise OpenAI uses an organisation's
   * configured client on the OIDC server and the classic API fake.
   */
  readonly chatgpt?: boolean;
  /** Environment variables of the standard set to leave out (e.g. an OAuth client id). */
  readonly unset?: readonly string[];
  /** Runs on the fresh data directory before the core opens it (e.g. to leave a damaged database there). */
  readonly beforeOpen?: (dataDir: string) => void;
  /**
   * Serve "Install command-line tool" as the desktop app does, writing into `<dataDir>/home/.local/bin`
   * with plain node standing in for the app's executable (the web transport otherwise refuses it).
   */
  readonly desktopCommandLine?: boolean;
}

export async function startMaestro(options: MaestroOptions = {}): Promise<MaestroHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maestro-e2e-'));
  options.beforeOpen?.(dataDir);
  const [anthropic, google, openai, oidc, anthropicOAuth, siwc] = await Promise.all([
    startAnthropicApi({ validKeys: [VALID_KEYS.anthropic] }),
    startGoogleApi({ validKeys: [VALID_KEYS.google] }),
    startOpenAiApi({ validKeys: [VALID_KEYS.openai] }),
    startOidcServer(),
    startAnthropicOAuthServer(),
    startSiwcFake({ apiKeys: [VALID_KEYS.openai] }),
  ]);
  const openaiEnv: NodeJS.ProcessEnv =
    options.chatgpt === true
      ? { THE_MAESTRO_OPENAI_API_BASE_URL: siwc.url, THE_MAESTRO_OPENAI_OAUTH_ISSUER: siwc.issuer }
      : {
          THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
          THE_MAESTRO_OPENAI_OAUTH_ISSUER: oidc.issuer,
          OPENAI_OAUTH_CLIENT_ID: PUBLIC_CLIENT_ID,
          THE_MAESTRO_OPENAI_OAUTH_LOOPBACK_PORTS: '0',
        };
  // Only what the test sets: no real key from the machine's environment leaks in.
  const env: NodeJS.ProcessEnv = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    ...openaiEnv,
    THE_MAESTRO_ALLOW_INSECURE_LOOPBACK_ISSUER: '1',
    THE_MAESTRO_GOOGLE_OAUTH_ISSUER: oidc.issuer,
    GOOGLE_OAUTH_CLIENT_ID: GOOGLE_STYLE_CLIENT_ID,
    GOOGLE_OAUTH_CLIENT_SECRET: GOOGLE_STYLE_CLIENT_SECRET,
    THE_MAESTRO_ANTHROPIC_OAUTH_ISSUER: anthropicOAuth.origin,
    ANTHROPIC_OAUTH_CLIENT_ID: ANTHROPIC_FAKE_CLIENT_ID,
  };
  const unset = new Set(options.unset ?? []);
  const core = await createCore({
    dataDir,
    env: Object.fromEntries(Object.entries(env).filter(([name]) => !unset.has(name))),
    configFile: join(dataDir, 'config.json'),
    logger: silentLogger,
    purpose: 'test',
  });
  const preferences = new FilePreferencesStore(join(dataDir, 'web-preferences.json'));
  const gateway = new GatewayController({ credentials: core.auth, key: new SealedGatewayKey(core.store) });
  const commandLineTool =
    options.desktopCommandLine === true
      ? new CommandLineTool({
          directory: join(dataDir, 'home', '.local', 'bin'),
          target: { executable: process.execPath, leadingArgs: ['--cli'], platform: process.platform },
          pathVariable: process.env['PATH'],
        })
      : undefined;
  const server = await startWebApp({
    auth: core.auth,
    preferences,
    staticDir: STATIC_DIR,
    gateway,
    ...(commandLineTool !== undefined ? { commandLineTool } : {}),
  });
  return {
    appUrl: server.appUrl,
    anthropic,
    google,
    openai,
    oidc,
    anthropicOAuth,
    siwc,
    dataDir,
    auth: core.auth,
    close: async () => {
      await server.close();
      await gateway.dispose();
      await core.dispose();
      await Promise.all([
        anthropic.close(),
        google.close(),
        openai.close(),
        oidc.close(),
        anthropicOAuth.close(),
        siwc.close(),
      ]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
