import { describe, expect, it } from 'vitest';
import { DisposalStack } from '../../../src-main/electron/disposal-stack.js';
import { createLogger, silentLogger } from '../../../src-main/log/logger.js';

describe('disposal at quit', () => {
  it('runs disposers once, last added first, awaiting each', async () => {
    const stack = new DisposalStack(silentLogger);
    const order: string[] = [];
    stack.add('core', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('core');
    });
    stack.add('window', () => void order.push('window'));
    stack.add('tray', () => void order.push('tray'));
    await Promise.all([stack.disposeAll(), stack.disposeAll()]);
    await stack.disposeAll();
    expect(order).toEqual(['tray', 'window', 'core']);
  });

  it('keeps going when one disposer fails, and logs it', async () => {
    const lines: string[] = [];
    const stack = new DisposalStack(createLogger({ sink: (line) => lines.push(line) }));
    const order: string[] = [];
    stack.add('first', () => void order.push('first'));
    stack.add('broken', () => {
      throw new Error('nope');
    });
    await stack.disposeAll();
    expect(order).toEqual(['first']);
    expect(lines.some((line) => line.includes('disposing failed') && line.includes('broken'))).toBe(true);
  });

  it('undoes straight away what is built while quitting', async () => {
    const stack = new DisposalStack(silentLogger);
    await stack.disposeAll();
    let undone = false;
    stack.add('late', () => void (undone = true));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(undone).toBe(true);
  });
});

describe('a disposer that never finishes', () => {
  it('is given up on after its time box, and the others still run', async () => {
    const stack = new DisposalStack(silentLogger, 20);
    const order: string[] = [];
    stack.add('core', () => void order.push('core'));
    stack.add('stuck listener', () => new Promise<void>(() => undefined));
    stack.add('tray', () => void order.push('tray'));
    await stack.disposeAll();
    expect(order).toEqual(['tray', 'core']);
  });
});
