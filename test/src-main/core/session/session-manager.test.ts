import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../support/manual-clock.js';
import type { CredentialMeta } from '../../../../src-main/core/store/credential-store.js';
import { MemoryKeyProvider } from '../../../../src-main/core/store/key-providers/memory-key-provider.js';
import type { OpenedStore } from '../../../../src-main/core/store/open-store.js';
import { openCredentialStore } from '../../../../src-main/core/store/open-store.js';
import { ProviderRegistry } from '../../../../src-main/core/providers/registry.js';
import type { SessionChange } from '../../../../src-main/core/session/session-manager.js';
import { SessionManager } from '../../../../src-main/core/session/session-manager.js';

let dir: string;
let opened: OpenedStore;
const clock = new ManualClock();
const keyProvider = new MemoryKeyProvider({ protection: 'key_file' });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'maestro-session-'));
  opened = await openCredentialStore({ dataDir: dir, keyProviders: [keyProvider], clock });
});
afterEach(() => {
  opened.store.close();
  rmSync(dir, { recursive: true, force: true });
});

function sessions(): SessionManager {
  return new SessionManager(opened.store, new ProviderRegistry(), clock);
}

function saveKey(provider: string, account: string): CredentialMeta {
  return opened.store.put({
    provider,
    authMethod: 'api_key',
    accountLabel: account,
    credential: { kind: 'api_key', apiKey: `sk-test-${provider}-${account}-0123456789` },
    expiresAt: null,
  });
}

describe('SessionManager', () => {
  it('has no active provider until something is stored, then the first provider with a credential', () => {
    const manager = sessions();
    expect(manager.activeProvider()).toBeNull();
    saveKey('openai', 'default');
    expect(manager.activeProvider()).toBe('openai');
  });

  it('persists the active provider, account and model for the next process', () => {
    saveKey('anthropic', 'work');
    saveKey('anthropic', 'personal');
    const first = sessions();
    first.setActiveProvider('anthropic', 'work');
    first.selectModel('anthropic', 'claude-sonnet-4-5');
    const second = sessions();
    expect(second.activeProvider()).toBe('anthropic');
    expect(second.activeAccount('anthropic')).toBe('work');
    expect(second.selectedModel('anthropic')).toBe('claude-sonnet-4-5');
  });

  it('falls back to an existing account when the chosen one was removed', () => {
    const work = saveKey('google', 'work');
    clock.advance(1000);
    saveKey('google', 'personal');
    const manager = sessions();
    manager.setActiveAccount('google', 'work');
    opened.store.delete(work.id);
    expect(manager.activeAccount('google')).toBe('personal');
  });

  it('emits a change event for every change and stops after disposal', () => {
    const manager = sessions();
    const seen: SessionChange[] = [];
    const dispose = manager.onDidChange((change) => seen.push(change));
    manager.setActiveProvider('openai');
    manager.selectModel('openai', 'gpt-5');
    manager.recordOutcome('openai', {
      source: 'api_key',
      method: 'api_key',
      account: 'default',
      state: 'valid',
      lastError: null,
    });
    dispose();
    manager.selectModel('openai', 'gpt-4.1');
    expect(seen.map((change) => change.kind)).toEqual(['active-provider', 'model', 'outcome']);
  });

  it('ignores a damaged session record instead of failing', () => {
    opened.store.setState('session', { activeProvider: 42, providers: 'nope' });
    expect(sessions().selectedModel('openai')).toBeNull();
  });
});
