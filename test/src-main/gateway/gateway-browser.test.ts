import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from './gateway-fixture.js';

/**
 * A web page in Chromium (Debian's, as in the e2e suite) tries to spend the person's credentials
 * through the gateway, even knowing the gateway key: the preflight is refused, a simple request
 * carrying an Origin is refused, and the provider never sees a request.
 */
let fx: GatewayFixture;
let browser: Browser;
let page: Server;
let pageUrl: string;

beforeAll(async () => {
  fx = await startGatewayFixture();
  page = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<!doctype html><title>elsewhere</title>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}, 60_000);

afterAll(async () => {
  await browser.close();
  await new Promise<void>((resolve) => page.close(() => resolve()));
  await fx.close();
});

describe('a cross-origin page in Chromium', () => {
  it('cannot use the gateway, with or without a preflight', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const before = fx.fakes.openai.count() + fx.fakes.google.count();
    const outcomes = await tab.evaluate(
      async ({ url, key }) => {
        const attempt = async (init: RequestInit, path: string): Promise<string> => {
          try {
            const response = await fetch(`${url}${path}`, init);
            return `status ${response.status}`;
          } catch (error) {
            return `blocked: ${String(error)}`;
          }
        };
        return [
          // A custom header: the browser sends an OPTIONS preflight first.
          await attempt({ headers: { authorization: `Bearer ${key}` } }, '/openai/v1/models'),
          // A "simple" request with the key in the query: no preflight, but an Origin header.
          await attempt({ mode: 'no-cors' }, `/google/v1beta/models?key=${key}`),
        ];
      },
      { url: fx.gateway.url, key: fx.gatewayKey },
    );
    expect(outcomes[0]).toMatch(/^blocked/);
    // An opaque answer: the page learns nothing, and the gateway refused it before the provider.
    expect(outcomes[1]).toBe('status 0');
    expect(fx.fakes.openai.count() + fx.fakes.google.count()).toBe(before);
    const refused = fx.logLines.filter((line) => line.includes('"status":403'));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    await tab.close();
  });
});
