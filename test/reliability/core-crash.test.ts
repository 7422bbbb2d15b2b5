import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/create-core.js';
import { EnvKeyProvider } from '../../src-main/core/store/key-providers/env-key-provider.js';
import { FileKeyProvider } from '../../src-main/core/store/key-providers/file-key-provider.js';
import { openCredentialStore } from '../../src-main/core/store/open-store.js';
import { MIGRATIONS } from '../../src-main/core/store/sqlite/migrations.js';
import { openDatabase } from '../../src-main/core/store/sqlite/open-database.js';
import { bundleChild, type ChildBundle } from './support/child-bundle.js';
import {
  applyCrashOp,
  CRASH_OAUTH_ACCOUNT,
  crashOp,
  rotationExpiry,
  rotationTokens,
  type CrashState,
} from './support/crash-protocol.js';
import { FigureRecorder, FUZZ_SEED, LONG_RUN } from './support/figures.js';
import { FILLER_TABLE, LATEST_REAL_VERSION, slowMigration } from './support/slow-migration.js';
import { collect, type ChildOutcome } from '../support/storage/child-process.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * Crash safety of the whole core, not just the store: a child process composing the real core
 * (createCore) saves keys through the coordinator, rotates an OAuth credential and logs accounts
 * out in a loop, and is SIGKILLed at random moments. After every kill the database must pass
 * `integrity_check` and hold exactly the acknowledged operations (plus, at most, the one in
 * flight) — nothing lost, nothing torn, nothing invented. The same for first start-ups killed
 * halfway and for a schema migration killed halfway.
 */
const ROUNDS = LONG_RUN ? 500 : 100;
const FRESH_ROUNDS = LONG_RUN ? 60 : 12;
const MIGRATION_ROUNDS = LONG_RUN ? 50 : 8;
const REKEY_ROUNDS = LONG_RUN ? 60 : 10;
const figures = new FigureRecorder('core-crash');

/** mulberry32: kill delays repeatable by seed. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let coreChild: ChildBundle;
let migrationChild: ChildBundle;
let rekeyChild: ChildBundle;
beforeAll(async () => {
  [coreChild, migrationChild, rekeyChild] = await Promise.all([
    bundleChild(new URL('./support/core-child.ts', import.meta.url)),
    bundleChild(new URL('./support/migration-child.ts', import.meta.url)),
    bundleChild(new URL('./support/rekey-child.ts', import.meta.url)),
  ]);
}, 60_000);
afterAll(() => {
  coreChild.remove();
  migrationChild.remove();
  rekeyChild.remove();
  figures.write();
});

/** Starts a bundled child and SIGKILLs it `delayMs` after it prints `trigger` (or after it starts, when null). */
async function killDuring(
  file: string,
  args: readonly string[],
  trigger: string | null,
  delayMs: number,
): Promise<ChildOutcome> {
  const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let armed = false;
  const arm = (): void => {
    armed = true;
    setTimeout(() => child.kill('SIGKILL'), delayMs);
  };
  if (trigger === null) arm();
  return collect(child, (soFar) => {
    if (!armed && trigger !== null && soFar.includes(trigger)) arm();
  });
}

function integrityCheck(file: string): string[] {
  const db = new Database(file);
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

/** Reads the state back through a fresh core, decrypting every row and checking the rotating one is whole. */
async function readState(dataDir: string): Promise<CrashState> {
  const core = await createCore({ dataDir, env: {}, purpose: 'test' });
  try {
    const keys: Record<string, string> = {};
    for (const meta of core.store.list({ provider: 'anthropic', authMethod: 'api_key' })) {
      const row = core.store.get(meta.id);
      if (row?.credential.kind !== 'api_key') throw new Error(`row ${meta.accountLabel} is not an API key`);
      keys[meta.accountLabel] = row.credential.apiKey;
    }
    const rotating = core.store.list({ provider: 'openai', authMethod: 'oauth', accountLabel: CRASH_OAUTH_ACCOUNT });
    expect(rotating).toHaveLength(1);
    const meta = rotating[0];
    if (meta === undefined) throw new Error('the rotating credential is gone');
    const row = core.store.get(meta.id);
    // Torn-row check: the secret, its expiry column and its generation were written together.
    expect(row?.credential).toMatchObject({
      kind: 'oauth',
      ...rotationTokens(meta.generation),
      expiresAt: rotationExpiry(meta.generation),
    });
    expect(meta.expiresAt).toBe(rotationExpiry(meta.generation));
    const session = core.store.getState('session') as { providers?: { anthropic?: { activeAccount?: string } } } | null;
    return { keys, generation: meta.generation, activeAccount: session?.providers?.anthropic?.activeAccount ?? null };
  } finally {
    await core.dispose();
  }
}

/** Indices of `do`/`ack` lines, and the operation in flight when the kill landed. */
function progress(stdout: string): { acked: number[]; inFlight: number | null } {
  const lines = stdout.split('\n');
  const acked = lines.filter((line) => /^ack \d+$/.test(line)).map((line) => Number(line.slice(4)));
  const started = lines.filter((line) => /^do \d+$/.test(line)).map((line) => Number(line.slice(3)));
  const last = started.at(-1);
  return { acked, inFlight: last !== undefined && !acked.includes(last) ? last : null };
}

/** The states the database may legally be in: acknowledged operations, plus the in-flight one done wholly or (a save) before its session update. */
function allowedStates(
  before: CrashState,
  run: number,
  acked: readonly number[],
  inFlight: number | null,
): CrashState[] {
  const committed = acked.reduce((state, index) => applyCrashOp(state, crashOp(run, index)), before);
  if (inFlight === null) return [committed];
  const op = crashOp(run, inFlight);
  const done = applyCrashOp(committed, op);
  return op.kind === 'save'
    ? [committed, done, { ...done, activeAccount: committed.activeAccount }]
    : [committed, done];
}

function sameState(a: CrashState, b: CrashState): boolean {
  const keys = (state: CrashState): string =>
    JSON.stringify(Object.entries(state.keys).sort(([x], [y]) => x.localeCompare(y)));
  return a.generation === b.generation && a.activeAccount === b.activeAccount && keys(a) === keys(b);
}

describe('the core under SIGKILL', () => {
  it(
    `loses no acknowledged write and tears nothing across ${ROUNDS} kills of a process running createCore`,
    { timeout: LONG_RUN ? 1_800_000 : 600_000 },
    async () => {
      const temp = makeTempDir('maestro-crash-');
      const random = randomFrom(FUZZ_SEED);
      let losses = 0;
      let opsAcked = 0;
      let inFlightCommitted = 0;
      let completed = 0;
      try {
        const seeded = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' });
        seeded.store.put({
          provider: 'openai',
          authMethod: 'oauth',
          accountLabel: CRASH_OAUTH_ACCOUNT,
          expiresAt: rotationExpiry(1),
          credential: { kind: 'oauth', tokenType: 'Bearer', expiresAt: rotationExpiry(1), ...rotationTokens(1) },
        });
        await seeded.dispose();
        let state: CrashState = { keys: {}, generation: 1, activeAccount: null };
        for (let run = 0; run < ROUNDS; run += 1) {
          // One kill in ten lands anywhere from start-up on; the others once the core is working,
          // armed when operation `run % 4` starts (so at least that many were acknowledged whatever
          // the machine's speed) and landing a random moment later, inside it or after it.
          const early = run % 10 === 9;
          const outcome = await killDuring(
            coreChild.file,
            [temp.dir, String(run)],
            early ? null : `\ndo ${run % 4}\n`,
            Math.floor(random() * (early ? 250 : 45)),
          );
          const context = `run ${run} (seed ${FUZZ_SEED})`;
          expect(outcome.signal, `${context}: ${outcome.stderr}`).toBe('SIGKILL');
          expect(integrityCheck(join(temp.dir, 'maestro.db')), context).toEqual(['ok']);
          const { acked, inFlight } = progress(outcome.stdout);
          const allowed = allowedStates(state, run, acked, inFlight);
          const actual = await readState(temp.dir);
          const match = allowed.findIndex((candidate) => sameState(candidate, actual));
          if (match === -1) losses += 1;
          expect(
            match,
            `${context}: state after ${acked.length} acknowledged operations (in flight: ${String(inFlight)})`,
          ).not.toBe(-1);
          if (match > 0) inFlightCommitted += 1;
          opsAcked += acked.length;
          state = actual;
          completed += 1;
        }
        // The kills were armed after 0, 1, 2 or 3 acknowledged operations in turn (1.5 per armed run).
        expect(opsAcked).toBeGreaterThan(ROUNDS);
      } finally {
        figures.add({
          kind: 'crash',
          target: 'core loop (save, rotate, logout) SIGKILLed',
          runs: completed,
          failures: losses,
          detail: `kills; ${opsAcked} acknowledged operations checked (varies with where the kills land); ${inFlightCommitted} in-flight ones had committed; integrity_check ok`,
        });
        temp.remove();
      }
    },
  );

  it(
    `starts cleanly after ${FRESH_ROUNDS} kills during the very first start-up (database, migrations, key file, data key)`,
    { timeout: 300_000 },
    async () => {
      const random = randomFrom(FUZZ_SEED + 1);
      let broken = 0;
      let completed = 0;
      try {
        for (let round = 0; round < FRESH_ROUNDS; round += 1) {
          const temp = makeTempDir('maestro-fresh-');
          try {
            const outcome = await killDuring(coreChild.file, [temp.dir, '0'], null, Math.floor(random() * 220));
            const seeded = outcome.stdout.includes('ack seed');
            const core = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' }).catch((error: unknown) => {
              broken += 1;
              throw error;
            });
            try {
              expect(core.protection.warnings, `round ${round}`).toEqual([]);
              const rows = core.store.list({ provider: 'openai' });
              if (seeded) expect(rows.map((row) => row.generation)).toHaveLength(1);
              for (const row of core.store.list()) expect(() => core.store.get(row.id)).not.toThrow();
            } finally {
              await core.dispose();
            }
            expect(integrityCheck(join(temp.dir, 'maestro.db'))).toEqual(['ok']);
            completed += 1;
          } finally {
            temp.remove();
          }
        }
      } finally {
        figures.add({
          kind: 'crash',
          target: 'first start-up SIGKILLed',
          runs: completed,
          failures: broken,
          detail: 'createCore opens every time, no warning, rows decrypt',
        });
      }
    },
  );

  it(
    `leaves a usable database at the old version when a migration is killed halfway (${MIGRATION_ROUNDS} kills)`,
    { timeout: 300_000 },
    async () => {
      const temp = makeTempDir('maestro-migrate-');
      const random = randomFrom(FUZZ_SEED + 2);
      const file = join(temp.dir, 'maestro.db');
      const rows = 1_500;
      let losses = 0;
      let completed = 0;
      try {
        const seeded = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' });
        const saved = await seeded.auth.saveApiKey({
          provider: 'google',
          apiKey: 'AIzaSyMIGRATION-survivor-0000000000',
          validate: false,
        });
        expect(saved.ok).toBe(true);
        await seeded.dispose();
        for (let round = 0; round < MIGRATION_ROUNDS; round += 1) {
          const outcome = await killDuring(
            migrationChild.file,
            [file, String(rows)],
            'migrating\n',
            20 + Math.floor(random() * 150),
          );
          expect(outcome.signal, outcome.stderr).toBe('SIGKILL');
          expect(outcome.stdout).not.toContain('done');
          expect(integrityCheck(file)).toEqual(['ok']);
          const db = new Database(file);
          const version = db.pragma('user_version', { simple: true });
          const filler = db.prepare('SELECT count(*) FROM sqlite_master WHERE name = ?').pluck().get(FILLER_TABLE);
          db.close();
          expect({ version, filler }).toEqual({ version: LATEST_REAL_VERSION, filler: 0 });
          const core = await createCore({ dataDir: temp.dir, env: {}, purpose: 'test' });
          const token = await core.auth.resolve('google');
          await core.dispose();
          if (!token.ok || token.value.secret !== 'AIzaSyMIGRATION-survivor-0000000000') losses += 1;
          expect(token).toMatchObject({ ok: true, value: { secret: 'AIzaSyMIGRATION-survivor-0000000000' } });
          completed += 1;
        }
        // Left alone, the same migration completes, and the data is still there.
        const finished = await collect(
          spawn(process.execPath, [migrationChild.file, file, String(rows)], { stdio: ['ignore', 'pipe', 'pipe'] }),
        );
        expect(finished.stdout.trim().split('\n').at(-1)).toBe(`done ${LATEST_REAL_VERSION + 1}`);
        const { db } = openDatabase({ file, migrations: [...MIGRATIONS, slowMigration(rows)] });
        expect(db.prepare(`SELECT count(*) FROM ${FILLER_TABLE}`).pluck().get()).toBe(rows);
        expect(db.prepare('SELECT count(*) FROM provider_credentials').pluck().get()).toBe(1);
        db.close();
      } finally {
        figures.add({
          kind: 'crash',
          target: 'schema migration SIGKILLed halfway',
          runs: completed,
          failures: losses,
          detail: 'version unchanged, no partial table, credentials readable; completes when left alone',
        });
        temp.remove();
      }
    },
  );

  it(
    `leaves the old key or the new one, never a mix, when a re-key is killed halfway (at least ${REKEY_ROUNDS} kills)`,
    { timeout: 180_000 },
    async () => {
      const temp = makeTempDir('maestro-rekey-');
      const random = randomFrom(FUZZ_SEED + 3);
      const file = join(temp.dir, 'maestro.db');
      const masterKey = randomBytes(32);
      const app = (): EnvKeyProvider => new EnvKeyProvider(masterKey);
      const keyFile = (): FileKeyProvider => new FileKeyProvider(join(temp.dir, 'master.key'));
      const rows = 1_500;
      const secretOf = (index: number): string => `sk-ant-api03-rekey-${String(index).padStart(6, '0')}-survivor`;
      let wrong = 0;
      let completed = 0;
      const outcomes = { old: 0, new: 0 };
      /** The data key id and which protections wrap it (exactly one key may exist). */
      const wrappings = (): { keyId: string; providers: string[] } => {
        const db = new Database(file, { readonly: true });
        try {
          const all = db.prepare('SELECT key_id, key_provider_id FROM data_keys ORDER BY key_provider_id').all() as {
            key_id: string;
            key_provider_id: string;
          }[];
          const keyIds = [...new Set(all.map((row) => row.key_id))];
          const behind = db
            .prepare('SELECT count(*) FROM provider_credentials WHERE key_id != ?')
            .pluck()
            .get(keyIds[0]);
          expect({ keys: keyIds.length, rowsUnderAnotherKey: behind }).toEqual({ keys: 1, rowsUnderAnotherKey: 0 });
          return { keyId: keyIds[0] ?? '', providers: all.map((row) => row.key_provider_id) };
        } finally {
          db.close();
        }
      };
      try {
        const seeded = await openCredentialStore({ dataDir: temp.dir, keyProviders: [app(), keyFile()] });
        for (let index = 0; index < rows; index += 1) {
          seeded.store.put({
            provider: 'anthropic',
            authMethod: 'api_key',
            accountLabel: `a${index}`,
            credential: { kind: 'api_key', apiKey: secretOf(index) },
            expiresAt: null,
          });
        }
        seeded.store.close();
        const runChild = (mode: 'share' | 'stop', onStdout?: (soFar: string) => void): Promise<ChildOutcome> =>
          collect(
            spawn(process.execPath, [rekeyChild.file, temp.dir, masterKey.toString('hex'), mode], {
              stdio: ['ignore', 'pipe', 'pipe'],
            }),
            onStdout,
          );
        // How long a whole re-key takes here and now (a loaded machine is slower): the kills are
        // spread over one and a half times that, so some land before the commit and some after.
        expect((await runChild('share')).code).toBe(0);
        const marks: Record<string, number> = {};
        const calibration = await runChild('stop', (soFar) => {
          for (const mark of ['opening', 'done']) if (soFar.includes(mark)) marks[mark] ??= performance.now();
        });
        expect(calibration.code, calibration.stderr).toBe(0);
        const span = Math.max(20, (marks['done'] ?? 0) - (marks['opening'] ?? 0));
        // Rounds go on (up to three times as many) until both outcomes were seen.
        for (let round = 0; round < REKEY_ROUNDS * 3; round += 1) {
          if (round >= REKEY_ROUNDS && outcomes.old > 0 && outcomes.new > 0) break;
          const context = `round ${round} (seed ${FUZZ_SEED}, re-key takes ${Math.round(span)} ms)`;
          const share = await runChild('share');
          expect(share.code, `${context}: ${share.stderr}`).toBe(0);
          const before = wrappings();
          expect(before.providers, context).toEqual(['env', 'file']);
          const outcome = await killDuring(
            rekeyChild.file,
            [temp.dir, masterKey.toString('hex'), 'stop'],
            'opening\n',
            Math.floor(random() * span * 1.5),
          );
          // Killed, or (a kill that came too late) finished.
          expect(outcome.signal === 'SIGKILL' || outcome.code === 0, `${context}: ${outcome.stderr}`).toBe(true);
          expect(integrityCheck(file), context).toEqual(['ok']);
          const after = wrappings();
          const state = after.keyId === before.keyId ? 'old' : 'new';
          expect(after.providers, `${context}: ${state} key`).toEqual(state === 'old' ? ['env', 'file'] : ['env']);
          // Every row opens with the app's protection; the key file opens them only in the old state.
          const opened = await openCredentialStore({ dataDir: temp.dir, keyProviders: [app()] });
          let lost = 0;
          try {
            for (const meta of opened.store.list({}, { limit: rows + 1, offset: 0 })) {
              const index = Number(meta.accountLabel.slice(1));
              const row = opened.store.get(meta.id)?.credential;
              if (row?.kind !== 'api_key' || row.apiKey !== secretOf(index)) lost += 1;
            }
            lost += rows - opened.store.count();
          } finally {
            opened.store.close();
          }
          const byFile = await openCredentialStore({ dataDir: temp.dir, keyProviders: [keyFile()] }).then(
            (store) => {
              store.store.close();
              return true;
            },
            () => false,
          );
          if (lost > 0 || byFile !== (state === 'old')) wrong += 1;
          expect({ lost, keyFileOpens: byFile }, `${context}: ${state} key`).toEqual({
            lost: 0,
            keyFileOpens: state === 'old',
          });
          outcomes[state] += 1;
          completed += 1;
        }
        // Both outcomes must have happened, or the kills never landed where it matters.
        expect(outcomes.old).toBeGreaterThan(0);
        expect(outcomes.new).toBeGreaterThan(0);
      } finally {
        figures.add({
          kind: 'crash',
          target: 're-key after a protection is turned off, SIGKILLed',
          runs: completed,
          failures: wrong,
          detail: `${rows} rows each time; ${outcomes.old} kills left the old key, ${outcomes.new} the new one; every row opened, the removed protection opened nothing in the new state`,
        });
        temp.remove();
      }
    },
  );
});
