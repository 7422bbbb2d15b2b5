import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProtectionLevel } from '../../src-shared/view-models.js';
import { createCore } from '../../src-main/core/create-core.js';
import { AuthError } from '../../src-main/core/auth-error.js';
import type { KeyProvider } from '../../src-main/core/store/key-provider.js';
import { FileKeyProvider } from '../../src-main/core/store/key-providers/file-key-provider.js';
import { MemoryKeyProvider } from '../../src-main/core/store/key-providers/memory-key-provider.js';
import { FigureRecorder } from './support/figures.js';
import { cliEnv, runCli } from '../support/run-cli.js';
import { makeTempDir, readAllFiles } from '../support/storage/temp-dir.js';

/**
 * Key provider trouble at the level of the whole core and the command line (the storage tests
 * cover openCredentialStore itself): a keyring that hangs, throws a non-AuthError, returns a
 * damaged key, or was replaced; a damaged key file; a changed master key. Each is time-boxed,
 * reported as `encryption_unavailable`, crashes nothing, changes no file, and never leads to
 * credentials quietly sealed with a weaker protection.
 */
const KEY = 'sk-ant-api03-keyprovider-survivor-000000000';
const figures = new FigureRecorder('key-provider-trouble');
const temps: ReturnType<typeof makeTempDir>[] = [];
afterAll(() => {
  for (const temp of temps) temp.remove();
  figures.write();
});

/** A keyring that misbehaves in one way. */
class TroubledKeyring implements KeyProvider {
  readonly protection: ProtectionLevel = 'os_keychain';
  readonly description = 'a troubled keyring';
  constructor(
    private readonly trouble: 'hang' | 'throw' | 'damaged',
    readonly id = 'safe-storage:gnome_libsecret',
  ) {}
  wrap(dataKey: Uint8Array): Promise<Uint8Array> {
    return this.act(dataKey);
  }
  unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    return this.act(wrapped);
  }
  private act(bytes: Uint8Array): Promise<Uint8Array> {
    if (this.trouble === 'hang') return new Promise(() => undefined);
    if (this.trouble === 'throw') throw new TypeError('Cannot read properties of undefined (reading "decrypt")');
    return Promise.resolve(bytes.subarray(0, 7));
  }
}

/** What a key provider must not change: the wrapped keys and the sealed rows (opening may add empty -wal/-shm files). */
function sealedContent(dataDir: string): string {
  const db = new Database(join(dataDir, 'maestro.db'), { readonly: true });
  try {
    const keys = db
      .prepare('SELECT key_id, key_provider_id, hex(wrapped) AS wrapped FROM data_keys ORDER BY 1, 2')
      .all();
    const rows = db
      .prepare(
        'SELECT id, key_id, generation, hex(credentials) AS sealed, invalid_reason FROM provider_credentials ORDER BY id',
      )
      .all();
    return JSON.stringify({ keys, rows });
  } finally {
    db.close();
  }
}

function dataKeyRows(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'maestro.db'), { readonly: true });
  try {
    return db.prepare<[], string>('SELECT key_provider_id FROM data_keys ORDER BY key_provider_id').pluck().all();
  } finally {
    db.close();
  }
}

async function outcome(name: string, run: () => Promise<string>): Promise<void> {
  let detail = 'promise broken';
  try {
    detail = await run();
  } finally {
    figures.add({
      kind: 'fault',
      target: `key provider: ${name}`,
      runs: 1,
      failures: detail === 'promise broken' ? 1 : 0,
      detail,
    });
  }
}

/** A data directory whose credentials are sealed by an OS-keychain-like provider (a memory key standing in for it). */
async function sealedByKeychain(): Promise<{ dir: string; keychain: MemoryKeyProvider }> {
  const temp = makeTempDir('maestro-keyprov-');
  temps.push(temp);
  const keychain = new MemoryKeyProvider({ id: 'safe-storage:gnome_libsecret', protection: 'os_keychain' });
  const core = await createCore({ dataDir: temp.dir, env: {}, keyProviders: [keychain], purpose: 'test' });
  expect((await core.auth.saveApiKey({ provider: 'anthropic', apiKey: KEY, validate: false })).ok).toBe(true);
  await core.dispose();
  return { dir: temp.dir, keychain };
}

describe('createCore with a troubled key provider', () => {
  it.each([
    ['hangs', 'hang'],
    ['throws a TypeError', 'throw'],
    ['returns a damaged key', 'damaged'],
  ] as const)(
    'keyring that %s: refused in bounded time, nothing changed, the right protection still opens it',
    async (name, trouble) => {
      await outcome(`keyring that ${name}, file key allowed as fallback`, async () => {
        const { dir, keychain } = await sealedByKeychain();
        const before = sealedContent(dir);
        const started = Date.now();
        // The file key is allowed too, but holds no wrapping: it must not quietly take over.
        const error: unknown = await createCore({
          dataDir: dir,
          env: {},
          keyProviders: [new TroubledKeyring(trouble), new FileKeyProvider(join(dir, 'master.key'))],
          keyProviderTimeoutMs: 200,
          purpose: 'test',
        }).then(
          async (core) => {
            await core.dispose();
            return undefined;
          },
          (caught: unknown) => caught,
        );
        const elapsed = Date.now() - started;
        expect(error).toBeInstanceOf(AuthError);
        expect((error as AuthError).code).toBe('encryption_unavailable');
        expect((error as AuthError).message).toContain('Nothing was changed');
        // Under the 5 s default time box: the configured 200 ms one cut it, with room for a loaded machine.
        expect(elapsed).toBeLessThan(4_000);
        expect(dataKeyRows(dir)).toEqual(['safe-storage:gnome_libsecret']);
        expect(sealedContent(dir)).toBe(before);
        const again = await createCore({ dataDir: dir, env: {}, keyProviders: [keychain], purpose: 'test' });
        expect(await again.auth.resolve('anthropic')).toMatchObject({ ok: true, value: { secret: KEY } });
        await again.dispose();
        return `encryption_unavailable after ${elapsed} ms; no file changed; no file-key wrapping added`;
      });
    },
  );

  it('a keyring that hangs on a fresh directory: refused in bounded time, no data key written under another protection', async () => {
    await outcome('keyring hangs on first start', async () => {
      const temp = makeTempDir('maestro-keyprov-fresh-');
      temps.push(temp);
      const started = Date.now();
      const error: unknown = await createCore({
        dataDir: temp.dir,
        env: {},
        keyProviders: [new TroubledKeyring('hang'), new FileKeyProvider(join(temp.dir, 'master.key'))],
        keyProviderTimeoutMs: 200,
        purpose: 'test',
      }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'encryption_unavailable' });
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(dataKeyRows(temp.dir)).toEqual([]);
      return `encryption_unavailable after ${Date.now() - started} ms; no data key stored`;
    });
  });
});

describe('the command line with a troubled key', () => {
  it.each([
    [
      'a damaged key file',
      (dir: string) => writeFileSync(join(dir, 'master.key'), randomBytes(7), { mode: 0o600 }),
      {},
    ],
    [
      'a key file readable by others',
      (dir: string) => writeFileSync(join(dir, 'master.key'), randomBytes(32), { mode: 0o644 }),
      {},
    ],
    [
      'a different THE_MAESTRO_MASTER_KEY',
      () => undefined,
      { THE_MAESTRO_MASTER_KEY: randomBytes(32).toString('hex') },
    ],
  ] as const)(
    '%s: a clear message, no stack trace, nothing changed; the data opens again once the key is back',
    async (name, damage, extraEnv) => {
      await outcome(`CLI with ${name}`, async () => {
        const temp = makeTempDir('maestro-keyprov-cli-');
        temps.push(temp);
        const env = cliEnv({ THE_MAESTRO_DATA_DIR: temp.dir });
        expect((await runCli(['login', 'anthropic', '--api-key-stdin', '--no-validate'], env, KEY)).code).toBe(0);
        const keyFile = readAllFiles(temp.dir).get('master.key') ?? Buffer.alloc(0);
        damage(temp.dir);
        const before = sealedContent(temp.dir);
        const keyBefore = readAllFiles(temp.dir).get('master.key');
        const runs = await Promise.all([
          runCli(['status'], { ...env, ...extraEnv }),
          runCli(['token', 'anthropic'], { ...env, ...extraEnv }),
        ]);
        for (const run of runs) {
          expect(run.code).not.toBe(0);
          expect(run.stderr).toMatch(/key|sealed|protect/i);
          expect(run.stderr).not.toMatch(/\n\s+at |Something unexpected/);
          expect(run.stdout).not.toContain(KEY);
        }
        expect(sealedContent(temp.dir)).toBe(before);
        expect(readAllFiles(temp.dir).get('master.key')).toEqual(keyBefore);
        writeFileSync(join(temp.dir, 'master.key'), keyFile, { mode: 0o600 });
        const restored = await runCli(['token', 'anthropic'], env);
        expect(restored).toMatchObject({ code: 0, stdout: `${KEY}\n` });
        return `exit ${runs.map((run) => run.code).join('/')}: ${runs[0].stderr.trim().slice(0, 90)}…`;
      });
    },
  );
});
