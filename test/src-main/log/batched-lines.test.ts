import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchedLines } from '../../../src-main/log/batched-lines.js';

/** Lines are written together, in order, soon — never lost when flushed, never held past the interval. */
describe('BatchedLines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the lines of one round together right after it, in order', () => {
    const batches: string[][] = [];
    const lines = new BatchedLines<string>((batch) => batches.push([...batch]));
    lines.add('a');
    lines.add('b');
    expect(batches).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(batches).toEqual([['a', 'b']]);
    lines.add('c');
    vi.advanceTimersToNextTimer();
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('writes at once when maxWaiting lines wait', () => {
    const batches: string[][] = [];
    const lines = new BatchedLines<string>((batch) => batches.push([...batch]), { maxWaiting: 3 });
    for (const line of ['a', 'b', 'c', 'd']) lines.add(line);
    expect(batches).toEqual([['a', 'b', 'c']]);
    lines.flush();
    expect(batches).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('writes a line after a quiet spell at once, and busy lines at most every minIntervalMs', () => {
    const batches: string[][] = [];
    const lines = new BatchedLines<string>((batch) => batches.push([...batch]), { minIntervalMs: 20 });
    lines.add('first');
    vi.advanceTimersToNextTimer();
    expect(batches).toEqual([['first']]);
    lines.add('soon after');
    lines.add('and another');
    vi.advanceTimersByTime(19);
    expect(batches).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([['first'], ['soon after', 'and another']]);
    vi.advanceTimersByTime(1_000);
    lines.add('after a quiet spell');
    vi.advanceTimersToNextTimer();
    expect(batches.at(-1)).toEqual(['after a quiet spell']);
  });

  it('flush writes what waits now and cancels the scheduled write', () => {
    const batches: string[][] = [];
    const lines = new BatchedLines<string>((batch) => batches.push([...batch]), { minIntervalMs: 20 });
    lines.add('a');
    lines.flush();
    lines.flush();
    expect(batches).toEqual([['a']]);
    vi.runAllTimers();
    expect(batches).toEqual([['a']]);
  });
});
