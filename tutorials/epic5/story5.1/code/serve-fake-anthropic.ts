/**
 * Chapter 2, hands on without a real key: a local fake of Anthropic's API (test/fakes) on
 * 127.0.0.1 that accepts one key. `npx tsx tutorials/epic5/story5.1/code/serve-fake-anthropic.ts`
 * prints the `export` line that points The Maestro at it, and runs until Ctrl-C.
 */
import { startAnthropicApi } from '../../../../test/fakes/index.js';

/** The one key the fake accepts. */
export const FAKE_ANTHROPIC_KEY = 'sk-ant-api03-tutorial-fake-key-0001';

const api = await startAnthropicApi({ validKeys: [FAKE_ANTHROPIC_KEY] });
process.stdout.write(`export THE_MAESTRO_ANTHROPIC_API_BASE_URL=${api.url}\n`);
process.stderr.write(`Fake Anthropic API listening; it accepts the key ${FAKE_ANTHROPIC_KEY}. Ctrl-C stops it.\n`);
const stop = (): void => void api.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
