/**
 * Chapter 1: opening the core the way the app, the command line and the tests do — with
 * `createCore` — but in a throwaway data directory, with a key held in memory and an environment
 * that contains only what the caller passes (never the reader's real API keys).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../../src-main/core/clock.js';
import { createCore, type Core } from '../../../../src-main/core/create-core.js';
import { MemoryKeyProvider } from '../../../../src-main/core/store/key-providers/memory-key-provider.js';
import type { ProviderRegistry } from '../../../../src-main/core/providers/registry.js';

export interface TutorialCoreOptions {
  /** The only environment the core sees: API base URLs of local fakes, client ids, keys. */
  readonly env?: NodeJS.ProcessEnv;
  /** Another list of providers (chapter 6 adds a fourth). */
  readonly registry?: ProviderRegistry;
  /** A clock the caller moves by hand (chapter 5). */
  readonly clock?: Clock;
}

/** A running core and the temporary directory it lives in; `close()` disposes both. */
export interface TutorialCore {
  readonly core: Core;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function openTutorialCore(options: TutorialCoreOptions = {}): Promise<TutorialCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maestro-tutorial-'));
  const core = await createCore({
    dataDir,
    env: options.env ?? {},
    // The app passes Electron safeStorage here, the CLI a 0600 key file; a tutorial needs neither.
    keyProviders: [new MemoryKeyProvider()],
    purpose: 'test',
    ...(options.registry !== undefined ? { registry: options.registry } : {}),
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  return {
    core,
    dataDir,
    async close() {
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
