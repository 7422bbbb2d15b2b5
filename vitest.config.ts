import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'tutorials/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    // Sized for a 2-core machine running two copies of the suite at once (load average ~16 seen):
    // slow there, a test still ends; a hung one is still reported.
    testTimeout: 120_000,
    // The CLI tests run the built bundle (out/cli): rebuilt here so it is never older than the sources.
    globalSetup: ['test/bin/build-cli.global.ts'],
    hookTimeout: 120_000,
    server: { deps: { inline: ['electron-store'] } },
  },
});
