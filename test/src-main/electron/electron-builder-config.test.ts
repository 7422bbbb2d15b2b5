import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../../src-main/electron/app-identity.js';
import { DEFAULT_DEEP_LINK_SCHEME } from '../../../src-main/config/load-config.js';

// electron-builder cannot run here (it downloads Electron), but its own schema validator and
// YAML parser can: they come with the electron-builder devDependency.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  npmRebuild: boolean;
  asar: boolean;
  files: string[];
  protocols: { schemes: string[] }[];
  electronFuses: Record<string, boolean>;
  mac: { target: string[] };
  win: { target: string[] };
  linux: { target: string[]; mimeTypes: string[]; desktop: { entry: Record<string, string> } };
}

const config = yaml.load(readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('is valid for electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app as the shell does and registers the deep-link scheme the core uses', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.protocols.flatMap((protocol) => protocol.schemes)).toEqual([DEFAULT_DEEP_LINK_SCHEME]);
  });

  it('gives Linux a desktop entry that handles the scheme and passes the link (%u)', () => {
    const { entry } = config.linux.desktop;
    expect(entry['MimeType']).toBe(`x-scheme-handler/${DEFAULT_DEEP_LINK_SCHEME};`);
    expect(entry['Exec']).toMatch(/ %u$/);
    expect(config.linux.mimeTypes).toEqual([`x-scheme-handler/${DEFAULT_DEEP_LINK_SCHEME}`]);
  });

  it('targets macOS, Windows and Linux, packs into asar and never rebuilds native modules', () => {
    expect(config.mac.target.length).toBeGreaterThan(0);
    expect(config.win.target.length).toBeGreaterThan(0);
    expect(config.linux.target.length).toBeGreaterThan(0);
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS, no inspect, asar integrity, asar only', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('packs the built app only, not the web build with its loopback shim', () => {
    expect(config.files).toContain('out/renderer-app/**');
    expect(config.files.some((pattern) => pattern.startsWith('out/renderer/') || pattern === 'out/**')).toBe(false);
  });
});
