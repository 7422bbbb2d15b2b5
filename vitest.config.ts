import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'tutorials/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // The CLI tests run the built bundle (out/cli): rebuilt here so it is never older than the sources.
    globalSetup: ['test/bin/build-cli.global.ts'],
    hookTimeout: 30_000,
    server: { deps: { inline: ['electron-store'] } },
  },
});
