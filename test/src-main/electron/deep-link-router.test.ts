import { describe, expect, it } from 'vitest';
import { DeepLinkRouter } from '../../../src-main/electron/deep-link-router.js';
import { createLogger, silentLogger } from '../../../src-main/log/logger.js';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the deep-link router', () => {
  it('queues links that arrive before the core is ready and delivers them in order on attach', async () => {
    const router = new DeepLinkRouter(silentLogger);
    router.deliver('app.themaestro.desktop:/oauth/openai/callback?code=1&state=a');
    router.deliver('app.themaestro.desktop:/oauth/google/callback?code=2&state=b');
    expect(router.pending).toBe(2);
    const received: string[] = [];
    router.attach((url) => received.push(url));
    await flush();
    expect(received).toEqual([
      'app.themaestro.desktop:/oauth/openai/callback?code=1&state=a',
      'app.themaestro.desktop:/oauth/google/callback?code=2&state=b',
    ]);
    expect(router.pending).toBe(0);
  });

  it('delivers straight away once attached, and queues again after detaching', async () => {
    const router = new DeepLinkRouter(silentLogger);
    const received: string[] = [];
    const detach = router.attach((url) => received.push(url));
    router.deliver('x:/1');
    await flush();
    expect(received).toEqual(['x:/1']);
    detach();
    router.deliver('x:/2');
    expect(router.pending).toBe(1);
    expect(received).toEqual(['x:/1']);
  });

  it('keeps a bounded queue, dropping the oldest link of a flood', async () => {
    const router = new DeepLinkRouter(silentLogger, 3);
    for (let i = 1; i <= 5; i += 1) router.deliver(`x:/${i}`);
    const received: string[] = [];
    router.attach((url) => received.push(url));
    await flush();
    expect(received).toEqual(['x:/3', 'x:/4', 'x:/5']);
  });

  it('survives a handler that throws or rejects, and logs it', async () => {
    const lines: string[] = [];
    const router = new DeepLinkRouter(createLogger({ sink: (line) => lines.push(line) }));
    router.attach(() => {
      throw new Error('boom');
    });
    router.deliver('x:/1');
    router.attach(() => Promise.reject(new Error('later')));
    router.deliver('x:/2');
    await flush();
    expect(lines.filter((line) => line.includes('deep link handler failed'))).toHaveLength(2);
  });
});
