import { createDecipheriv } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../../src-main/core/clock.js';
import { silentLogger } from '../../../src-main/log/logger.js';
import { unlockDataKey } from '../../../src-main/core/store/key-providers/data-key-unlock.js';
import { FileKeyProvider, MASTER_KEY_FILE } from '../../../src-main/core/store/key-providers/file-key-provider.js';
import { defaultCliKeyProviders, openCredentialStore } from '../../../src-main/core/store/open-store.js';
import type { Benchmark, BenchContext, BenchRow, Invariant } from '../bench-types.js';
import { pairedRow } from '../bench-types.js';
import { benchEnv, seedDataDir, type SeededDataDir } from '../fixtures.js';
import { microsPerOp, paired } from '../harness.js';

interface RawRow {
  id: string;
  user_id: string;
  provider: string;
  auth_method: string;
  account_label: string;
  generation: number;
  credentials: Buffer;
}

/**
 * The floor a credential read can reach with this design, written inline as a person would who
 * knows the format: one prepared SELECT, then AES-256-GCM with the row identity as additional
 * data (`version | iv(12) | tag(16) | ciphertext`), then JSON.parse. No validation, no metadata.
 */
export async function openRawReader(seeded: SeededDataDir): Promise<{ read(id: string): unknown; close(): void }> {
  const db = new Database(seeded.databaseFile);
  const { dataKey } = await unlockDataKey({
    db,
    providers: [new FileKeyProvider(join(seeded.dataDir, MASTER_KEY_FILE))],
    timeoutMs: 5_000,
    clock: systemClock,
    logger: silentLogger,
  });
  const select = db.prepare<[string, string], RawRow>(
    'SELECT * FROM provider_credentials WHERE id = ? AND user_id = ?',
  );
  return {
    read(id: string): unknown {
      const row = select.get(id, 'local');
      if (row === undefined) return null;
      const blob = row.credentials;
      const decipher = createDecipheriv('aes-256-gcm', dataKey.key, blob.subarray(1, 13), { authTagLength: 16 });
      decipher.setAAD(
        Buffer.from(
          JSON.stringify([
            'the-maestro/credential/v2',
            row.id,
            row.user_id,
            row.provider,
            row.auth_method,
            row.account_label,
            row.generation,
          ]),
        ),
      );
      decipher.setAuthTag(blob.subarray(13, 29));
      const plaintext = Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
      return JSON.parse(plaintext.toString('utf8')) as unknown;
    },
    close: () => db.close(),
  };
}

function accessTokenOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'accessToken' in value && typeof value.accessToken === 'string'
    ? value.accessToken
    : undefined;
}

/** Credential read through the store versus the same SELECT and decrypt written inline. */
export const credentialReadBenchmark: Benchmark = {
  id: 'credential-read',
  title: 'Credential read through the store vs inline SELECT + AES-256-GCM',
  async run(context: BenchContext): Promise<BenchRow[]> {
    const { settings } = context;
    const dataDir = context.tempDir('maestro-bench-read-');
    const seeded = await seedDataDir(dataDir);
    const { store } = await openCredentialStore({ dataDir, keyProviders: defaultCliKeyProviders(dataDir, benchEnv()) });
    context.defer(() => store.close());
    const raw = await openRawReader(seeded);
    context.defer(() => raw.close());
    const id = seeded.lookup.id;
    const expected = accessTokenOf(seeded.lookup.credential);
    const invariants: Invariant[] = [
      {
        name: 'same secret',
        ok: accessTokenOf(store.get(id)?.credential) === expected && accessTokenOf(raw.read(id)) === expected,
        detail: 'both read the stored access token',
      },
    ];
    const result = await paired({
      rounds: settings.rounds,
      warmup: settings.warmup,
      ours: () => microsPerOp(settings.iterations, () => store.get(id)),
      baseline: () => microsPerOp(settings.iterations, () => raw.read(id)),
    });
    return [
      pairedRow({
        id: 'credential-read',
        name: 'credential read (store.get)',
        unit: 'µs/op',
        baselineName: 'inline SELECT + decrypt',
        result,
        target: { kind: 'ratio', max: 1.5 },
        invariants,
        notes: [
          `OpenAI OAuth credential of ${JSON.stringify(seeded.lookup.credential).length} bytes, ${seeded.fixtures.length} rows stored`,
        ],
      }),
    ];
  },
};
