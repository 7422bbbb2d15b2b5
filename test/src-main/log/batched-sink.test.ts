import { setImmediate as nextRound } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { asText, batchedSink } from '../../../src-main/log/batched-sink.js';
import { createLogger, REDACTED } from '../../../src-main/log/logger.js';

/** The app's and `the-maestro gateway`'s log lines: one write per round of I/O, in order, never lost. */
describe('a batched log sink', () => {
  it('writes the lines logged in one round together once the round is over, redacted, in order', async () => {
    const writes: string[][] = [];
    const { sink } = batchedSink((lines) => writes.push([...lines]));
    const logger = createLogger({ sink, level: 'info', scope: 'app', now: () => 0 });
    logger.info('gateway request', { route: '/openai/v1/models', status: 200 });
    logger.warn('refused', { authorization: 'Bearer sk-abcdefgh12345678' });
    logger.info('gateway request', { route: '/anthropic/v1/messages', status: 429 });
    expect(writes).toEqual([]);
    await nextRound();
    expect(writes).toHaveLength(1);
    const [batch = []] = writes;
    expect(batch.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual([
      'gateway request',
      'refused',
      'gateway request',
    ]);
    expect(batch[1]).toContain(REDACTED);
    expect(batch.join('\n')).not.toContain('sk-abcdefgh12345678');
  });

  it('writes what waits at once on flush, and nothing twice', async () => {
    const writes: string[][] = [];
    const { sink, flush } = batchedSink((lines) => writes.push([...lines]));
    sink('one');
    sink('two');
    flush();
    expect(writes).toEqual([['one', 'two']]);
    await nextRound();
    flush();
    expect(writes).toEqual([['one', 'two']]);
    sink('three');
    await nextRound();
    expect(writes).toEqual([['one', 'two'], ['three']]);
  });

  it('joins a batch for a stream, a newline after each line', () => {
    expect(asText(['a', 'b'])).toBe('a\nb\n');
    expect(asText([])).toBe('');
  });
});
