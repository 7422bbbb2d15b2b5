import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiApi, type FakeOpenAiApi } from '../../fakes/index.js';
import { cliEnv, runCli, startCli } from '../../support/run-cli.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** `the-maestro gateway` as a person runs it: one log line per request on stderr, batched, none lost. */
const KEY = 'sk-proj-CANARY-gateway-log-0123456789abcdef';

describe('the gateway command’s request lines', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let fake: FakeOpenAiApi;
  beforeEach(async () => {
    temp = makeTempDir('maestro-gateway-log-');
    fake = await startOpenAiApi({ validKeys: [KEY] });
  });
  afterEach(async () => {
    await fake.close();
    temp.remove();
  });

  it(
    'writes one line per request — a burst of them too — and every one before it stops',
    { timeout: 60_000 },
    async () => {
      const env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir, THE_MAESTRO_OPENAI_API_BASE_URL: fake.url });
      expect((await runCli(['login', 'openai', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
      const gateway = startCli(['gateway', '--port', '0', '--json'], env);
      try {
        const [, url = '', key = ''] = await gateway.waitForStdout(/"url":"([^"]+)".*"key":"([^"]+)"/);
        const ask = (path: string): Promise<number> =>
          fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } }).then(async (response) => {
            await response.arrayBuffer();
            return response.status;
          });
        // A burst of ten in one round of I/O, then one more alone.
        expect(await Promise.all(Array.from({ length: 10 }, () => ask('/openai/v1/models')))).toEqual(
          Array.from({ length: 10 }, () => 200),
        );
        expect(await ask('/nowhere')).toBe(404);
        await gateway.waitForStderr(/"route":"\(unknown route\)"/);
      } finally {
        gateway.kill('SIGTERM');
      }
      const { code, stderr } = await gateway.done;
      expect(code).toBe(0);
      const requests = stderr
        .split('\n')
        .filter((line) => line.includes('"gateway request"'))
        .map((line) => (JSON.parse(line) as { fields: { route: string; status: number } }).fields);
      expect(requests.filter((fields) => fields.route === '/openai/v1/models' && fields.status === 200)).toHaveLength(
        10,
      );
      expect(requests).toHaveLength(11);
      expect(stderr).not.toContain('CANARY');
    },
  );
});
