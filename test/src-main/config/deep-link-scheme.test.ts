import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configuredDeepLinkScheme,
  DEFAULT_DEEP_LINK_SCHEME,
  loadConfig,
} from '../../../src-main/config/load-config.js';
import { PROVIDER_DEFINITIONS } from '../../../src-main/core/providers/registry.js';
import { makeTempDir } from '../../support/storage/temp-dir.js';

/** The app registers with the OS the scheme its redirect addresses use, as configured (main.ts reads it first). */
describe('the configured deep-link scheme', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    temp = makeTempDir();
    file = join(temp.dir, 'config.json');
  });
  afterEach(() => temp.remove());

  const both = (env: NodeJS.ProcessEnv = {}) => ({
    registered: configuredDeepLinkScheme(file, env),
    redirects: loadConfig({ file, definitions: PROVIDER_DEFINITIONS, env }).deepLinkScheme,
  });

  it('is the default without a configuration file', () => {
    expect(both()).toEqual({ registered: DEFAULT_DEEP_LINK_SCHEME, redirects: DEFAULT_DEEP_LINK_SCHEME });
  });

  it('is the one the file names, for registering and for redirects alike', () => {
    writeFileSync(file, JSON.stringify({ deepLinkScheme: 'com.example.maestro' }));
    expect(both()).toEqual({ registered: 'com.example.maestro', redirects: 'com.example.maestro' });
  });

  it('follows THE_MAESTRO_DEEP_LINK_SCHEME over the file, and ignores an invalid value in both', () => {
    writeFileSync(file, JSON.stringify({ deepLinkScheme: 'com.example.maestro' }));
    expect(both({ THE_MAESTRO_DEEP_LINK_SCHEME: 'org.example.other' })).toEqual({
      registered: 'org.example.other',
      redirects: 'org.example.other',
    });
    expect(both({ THE_MAESTRO_DEEP_LINK_SCHEME: 'not a scheme' })).toEqual({
      registered: 'com.example.maestro',
      redirects: 'com.example.maestro',
    });
  });

  it('falls back to the default when the file is damaged', () => {
    writeFileSync(file, '{ "deepLinkScheme": ');
    expect(both()).toEqual({ registered: DEFAULT_DEEP_LINK_SCHEME, redirects: DEFAULT_DEEP_LINK_SCHEME });
  });
});
