/**
 * Playwright: the real renderer in Debian's Chromium (never a downloaded browser), talking to the
 * real core through the loopback web transport, with the fake providers and authorization
 * servers from test/fakes. test/e2e/electron holds the `_electron` tests of the packaged flow
 * (their own project: they launch Electron, not Chromium, and skip where no binary exists).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/support/global-setup.ts',
  // Sized for a 2-core machine running two copies of the suite at once: a page that is only slow
  // there still passes; one that never shows what is expected still fails.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 2,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: ['electron/**'],
      use: { browserName: 'chromium', viewport: { width: 1280, height: 900 } },
    },
    { name: 'electron', testDir: 'test/e2e/electron' },
  ],
});
