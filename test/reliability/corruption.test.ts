import { spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/create-core.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../fakes/index.js';
import { bundleChild, type ChildBundle } from './support/child-bundle.js';
import { FigureRecorder, LONG_RUN } from './support/figures.js';
import { cliEnv, runCli, type CliRun } from '../support/run-cli.js';
import { collect } from '../support/storage/child-process.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * A damaged database — truncated, overwritten with garbage, one row's ciphertext altered, two
 * rows' ciphertexts swapped — through the real command line and createCore: both still start,
 * a damaged file is moved aside (never deleted) or only the damaged credential is marked "sign
 * in again", the person is told, and every other credential keeps working.
 */
const KEYS = {
  anthropic: 'sk-ant-api03-corruption-default-000000000000',
  work: 'sk-ant-api03-corruption-work-1111111111111111',
  openai: 'sk-proj-corruption-openai-22222222222222222',
  google: 'AIzaSyCorruption-google-3333333333333333',
} as const;
const figures = new FigureRecorder('corruption');

let anthropic: FakeAnthropicApi;
let openai: FakeOpenAiApi;
let google: FakeGoogleApi;
let raceChild: ChildBundle;
const temps: ReturnType<typeof makeTempDir>[] = [];

beforeAll(async () => {
  [anthropic, openai, google, raceChild] = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.anthropic, KEYS.work] }),
    startOpenAiApi({ validKeys: [KEYS.openai] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
    bundleChild(new URL('./support/open-child.ts', import.meta.url)),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([anthropic.close(), openai.close(), google.close()]);
  raceChild.remove();
  for (const temp of temps) temp.remove();
  figures.write();
});

function envFor(dataDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliEnv({
    THE_MAESTRO_DATA_DIR: dataDir,
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: anthropic.url,
    THE_MAESTRO_OPENAI_API_BASE_URL: openai.url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: google.url,
    ...extra,
  });
}

/** A data directory holding four validated keys, the database closed (WAL checkpointed). */
async function seededDir(): Promise<string> {
  const temp = makeTempDir('maestro-corrupt-');
  temps.push(temp);
  const core = await createCore({ dataDir: temp.dir, env: envFor(temp.dir), purpose: 'test' });
  for (const [provider, apiKey, account] of [
    ['anthropic', KEYS.anthropic, 'default'],
    ['anthropic', KEYS.work, 'work'],
    ['openai', KEYS.openai, 'default'],
    ['google', KEYS.google, 'default'],
  ] as const) {
    const saved = await core.auth.saveApiKey({ provider, apiKey, account });
    expect(saved.ok).toBe(true);
  }
  await core.auth.setActiveProvider({ provider: 'anthropic', account: 'default' });
  await core.dispose();
  return temp.dir;
}

interface StatusJson {
  providers: {
    id: string;
    state: string;
    lastError: { code: string; message: string } | null;
    accounts: { account: string; state: string; lastError: { code: string } | null }[];
  }[];
  storage: { warnings: string[] };
}

async function statusOf(dataDir: string): Promise<StatusJson> {
  const run = await runCli(['status', '--json'], envFor(dataDir));
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as StatusJson;
}

function token(dataDir: string, provider: string, account?: string, extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(['token', provider, ...(account !== undefined ? ['--account', account] : [])], envFor(dataDir, extra));
}

function corruptCopies(dataDir: string): string[] {
  return readdirSync(dataDir).filter(
    (name) => name.startsWith('maestro.db.corrupt-') && !/-(wal|shm|journal)$/.test(name),
  );
}

/** Runs one scenario and records whether its promise held. */
async function scenario(name: string, run: () => Promise<void>): Promise<void> {
  let failures = 1;
  try {
    await run();
    failures = 0;
  } finally {
    figures.add({
      kind: 'fault',
      target: `corruption: ${name}`,
      runs: 1,
      failures,
      detail: failures === 0 ? 'started, told, others kept working' : 'promise broken',
    });
  }
}

const WHOLE_FILE_DAMAGE: readonly { readonly name: string; readonly damage: (file: string) => void }[] = [
  { name: 'truncated database', damage: (file) => truncateSync(file, Math.floor(readFileSync(file).length * 0.4)) },
  {
    name: 'database overwritten with garbage',
    damage: (file) => writeFileSync(file, randomBytes(readFileSync(file).length)),
  },
  {
    name: 'garbage after a valid header',
    damage: (file) => {
      const bytes = readFileSync(file);
      randomBytes(bytes.length - 4096).copy(bytes, 4096);
      writeFileSync(file, bytes);
    },
  },
];

describe('a damaged database file', () => {
  it.each(WHOLE_FILE_DAMAGE.map((entry) => [entry.name, entry]))(
    '%s: the CLI and createCore start, the file is moved aside intact, the person is told',
    async (name, { damage }) => {
      await scenario(name, async () => {
        const cliDir = await seededDir();
        damage(join(cliDir, 'maestro.db'));
        const damagedBytes = readFileSync(join(cliDir, 'maestro.db'));
        const coreDir = `${cliDir}-core`;
        cpSync(cliDir, coreDir, { recursive: true });
        temps.push({ dir: coreDir, remove: () => undefined });

        const status = await statusOf(cliDir);
        expect(status.storage.warnings.join(' ')).toMatch(/damaged.*moved to .*maestro\.db\.corrupt-.*Sign in again/);
        const [copy, ...more] = corruptCopies(cliDir);
        expect(more).toEqual([]);
        expect(readFileSync(join(cliDir, copy ?? 'missing')).equals(damagedBytes)).toBe(true);
        // The stored keys were in the damaged file: asking for one says to sign in; an environment key still works.
        const [lost, fromEnv] = await Promise.all([
          token(cliDir, 'openai'),
          token(cliDir, 'openai', undefined, { OPENAI_API_KEY: KEYS.openai }),
        ]);
        expect(lost.code).toBe(3);
        expect(lost.stderr).toMatch(/Sign in/);
        expect(fromEnv).toMatchObject({ code: 0, stdout: `${KEYS.openai}\n` });

        const core = await createCore({ dataDir: coreDir, env: envFor(coreDir), purpose: 'test' });
        try {
          expect(core.protection.warnings.join(' ')).toMatch(/moved to/);
          expect((await core.auth.status()).storage.warnings).toEqual(core.protection.warnings);
          expect(corruptCopies(coreDir)).toHaveLength(1);
          expect((await core.auth.saveApiKey({ provider: 'google', apiKey: KEYS.google })).ok).toBe(true);
        } finally {
          await core.dispose();
        }
      });
    },
  );

  it(
    `is moved aside once, without an error, when several processes start on it at the same moment (${LONG_RUN ? 20 : 4} rounds of 4)`,
    { timeout: 60_000 },
    async () => {
      await scenario('several processes start on a garbage file at once', async () => {
        for (let round = 0; round < (LONG_RUN ? 20 : 4); round += 1) {
          const temp = makeTempDir('maestro-corrupt-race-');
          temps.push(temp);
          writeFileSync(join(temp.dir, 'maestro.db'), randomBytes(64 * 1024));
          const startAt = Date.now() + 400;
          const outcomes = await Promise.all(
            [0, 1, 2, 3].map(() =>
              collect(
                spawn(process.execPath, [raceChild.file, temp.dir, String(startAt)], {
                  stdio: ['ignore', 'pipe', 'pipe'],
                }),
              ),
            ),
          );
          const results = outcomes.map(
            (outcome) => JSON.parse(outcome.stdout.trim() || '{}') as { ok?: boolean; account?: string; raw?: string },
          );
          expect(
            results.map((result) => result.ok),
            JSON.stringify(results),
          ).toEqual([true, true, true, true]);
          expect(corruptCopies(temp.dir)).toHaveLength(1);
          // Every process wrote to the same, live database: nothing went into a file that was moved away.
          const db = new Database(join(temp.dir, 'maestro.db'), { readonly: true });
          const accounts = db
            .prepare<[], string>(
              "SELECT account_label FROM provider_credentials WHERE provider = 'openai' ORDER BY account_label",
            )
            .pluck()
            .all();
          db.close();
          expect(accounts).toEqual(results.map((result) => result.account).sort());
        }
      });
    },
  );
});

/** Rewrites sealed blobs in place with plain SQL, as damage or tampering would. */
function tamper(
  dataDir: string,
  change: (db: Database.Database, idOf: (provider: string, account: string) => string) => void,
): void {
  const db = new Database(join(dataDir, 'maestro.db'));
  try {
    const idOf = (provider: string, account: string): string =>
      db
        .prepare<[string, string], string>(
          'SELECT id FROM provider_credentials WHERE provider = ? AND account_label = ?',
        )
        .pluck()
        .get(provider, account) ?? 'missing';
    change(db, idOf);
  } finally {
    db.close();
  }
}

const blobOf = (db: Database.Database, id: string): Buffer =>
  Buffer.from(
    db.prepare<[string], Buffer>('SELECT credentials FROM provider_credentials WHERE id = ?').pluck().get(id) ??
      Buffer.alloc(0),
  );
const setBlob = (db: Database.Database, id: string, blob: Buffer): void =>
  void db.prepare('UPDATE provider_credentials SET credentials = ? WHERE id = ?').run(blob, id);

describe('damaged rows', () => {
  it('one altered ciphertext: only that credential is marked "sign in again"; the others work, the file stays', async () => {
    await scenario('one row’s ciphertext altered', async () => {
      const dir = await seededDir();
      tamper(dir, (db, idOf) => {
        const blob = blobOf(db, idOf('anthropic', 'default'));
        blob[blob.length - 3] = (blob[blob.length - 3] ?? 0) ^ 0x01;
        setBlob(db, idOf('anthropic', 'default'), blob);
      });
      const damaged = await token(dir, 'anthropic');
      expect(damaged.code).toBe(3);
      expect(damaged.stderr).toMatch(/altered|damaged|sign in again/i);
      expect(damaged.stderr).not.toContain('sk-ant');
      const [work, openaiToken, googleToken, status] = await Promise.all([
        token(dir, 'anthropic', 'work'),
        token(dir, 'openai'),
        token(dir, 'google'),
        statusOf(dir),
      ]);
      expect([work.stdout, openaiToken.stdout, googleToken.stdout]).toEqual([
        `${KEYS.work}\n`,
        `${KEYS.openai}\n`,
        `${KEYS.google}\n`,
      ]);
      const view = status.providers.find((provider) => provider.id === 'anthropic');
      expect(view?.state).toBe('invalid');
      expect(view?.lastError?.code).toBe('credential_corrupt');
      expect(view?.accounts.map((account) => [account.account, account.state])).toEqual([
        ['default', 'invalid'],
        ['work', 'valid'],
      ]);
      expect(
        status.providers.filter((provider) => provider.id !== 'anthropic').map((provider) => provider.state),
      ).toEqual(['valid', 'valid']);
      expect(corruptCopies(dir)).toEqual([]);
      // Saving the key again repairs the account.
      expect((await runCli(['login', 'anthropic', '--api-key-stdin'], envFor(dir), KEYS.anthropic)).code).toBe(0);
      expect((await token(dir, 'anthropic')).stdout).toBe(`${KEYS.anthropic}\n`);
    });
  });

  it('two swapped ciphertexts: both are refused and marked, the other two credentials work', async () => {
    await scenario('two rows’ ciphertexts swapped', async () => {
      const dir = await seededDir();
      tamper(dir, (db, idOf) => {
        const [a, b] = [idOf('anthropic', 'default'), idOf('openai', 'default')];
        const [blobA, blobB] = [blobOf(db, a), blobOf(db, b)];
        db.transaction(() => {
          setBlob(db, a, blobB);
          setBlob(db, b, blobA);
        })();
      });
      const runs = await Promise.all([
        token(dir, 'anthropic'),
        token(dir, 'openai'),
        token(dir, 'anthropic', 'work'),
        token(dir, 'google'),
      ]);
      expect(runs.map((run) => run.code)).toEqual([3, 3, 0, 0]);
      expect(runs.map((run) => run.stdout)).toEqual(['', '', `${KEYS.work}\n`, `${KEYS.google}\n`]);
      for (const run of runs) expect(run.stderr).not.toMatch(/sk-ant-api03-corruption-default|sk-proj-corruption/);
      const status = await statusOf(dir);
      expect(
        status.providers.map((provider) => [provider.id, provider.state, provider.lastError?.code ?? null]),
      ).toEqual([
        ['anthropic', 'invalid', 'credential_corrupt'],
        ['google', 'valid', null],
        ['openai', 'invalid', 'credential_corrupt'],
      ]);
    });
  });

  it('unreadable non-secret state (session, model cache) and a garbage -wal: everything still starts and every key works', async () => {
    await scenario('garbage session, model cache and -wal', async () => {
      const dir = await seededDir();
      tamper(dir, (db) => {
        db.prepare("UPDATE app_state SET value = '{not json' WHERE key = 'session'").run();
        db.prepare(
          "INSERT OR REPLACE INTO model_cache (provider, models, fetched_at) VALUES ('openai', '[{\"id\": 5}]', 1)",
        ).run();
      });
      writeFileSync(join(dir, 'maestro.db-wal'), randomBytes(8192));
      const [status, models, ...tokens] = await Promise.all([
        statusOf(dir),
        runCli(['models', 'openai', '--json'], envFor(dir)),
        token(dir, 'anthropic'),
        token(dir, 'openai'),
        token(dir, 'google'),
      ]);
      expect(status.storage.warnings).toEqual([]);
      expect(models.code).toBe(0);
      expect(tokens.map((run) => run.code)).toEqual([0, 0, 0]);
    });
  });
});
