import { existsSync, readFileSync } from 'node:fs';
import { setImmediate as nextRound } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAgentLogFile } from '../../../src-main/cli/agent-log-file.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** The agent's log file writes a round's lines together, and loses none on flush or close. */
describe('the agent log file', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('maestro-agent-log-file-');
  });
  afterEach(() => temp.remove());

  const written = (path: string): string[] =>
    existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean) : [];
  const messages = (path: string): string[] =>
    written(path).map((line) => (JSON.parse(line) as { message: string }).message);

  it('holds a round’s lines until the round is over, then writes them in order', async () => {
    const log = openAgentLogFile(temp.dir);
    for (const line of ['token anthropic ok', 'status ok', 'token openai ok']) log.logger.info(line);
    // Held until the round is over: nothing is on disk yet.
    expect(written(log.path)).toEqual([]);
    await nextRound();
    expect(messages(log.path)).toEqual(['token anthropic ok', 'status ok', 'token openai ok']);
    log.close();
  });

  it('writes what waits on flush and on close, each line once', () => {
    const log = openAgentLogFile(temp.dir);
    log.logger.info('before flush');
    log.flush();
    expect(messages(log.path)).toEqual(['before flush']);
    log.logger.info('held until close');
    log.close();
    expect(messages(log.path)).toEqual(['before flush', 'held until close']);
  });
});
