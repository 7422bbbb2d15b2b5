import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ERROR_CODES } from '../../src-shared/errors.js';
import { modelInfoSchema } from '../../src-shared/ipc-schemas.js';
import { anthropicDefinition } from '../../src-main/core/providers/anthropic.js';
import { AuthError } from '../../src-main/core/auth-error.js';
import { googleDefinition } from '../../src-main/core/providers/google.js';
import { openaiDefinition } from '../../src-main/core/providers/openai.js';
import { createProviderApi } from '../../src-main/core/providers/api.js';
import type { ApiAuth } from '../../src-main/core/credentials.js';
import type { ProviderDefinition } from '../../src-main/core/providers/definition.js';
import { providerConfigFor } from '../fakes/index.js';
import { FigureRecorder, FUZZ_SEED, LONG_RUN } from './support/figures.js';
import { startHostileServer, type HostileReply, type HostileServer } from './support/hostile-server.js';

/**
 * Provider responses, fuzzed: whatever a provider (or a proxy, or an attacker on the path) sends
 * back — malformed JSON, wrong types, huge bodies, the wrong content type, a slow drip, a reset
 * connection, the credential echoed back — the provider API client either returns well-formed
 * models or throws an AuthError with one of our codes (never `internal`), a message without the
 * credential, within its time bound.
 */
const RUNS = LONG_RUN ? 1_000 : 60;
const TIMEOUT_MS = 150;
const ATTEMPTS = 2;
const MAX_BODY = 64 * 1024;
/** Secrets that match none of the logger's patterns: only an exact scrub can keep them out. */
const SECRETS = {
  anthropic: 'CANARYKEY-anthropic-9f8e7d6c5b4a3928',
  openai: 'CANARYTOKEN-openai-1a2b3c4d5e6f7081',
  google: 'CANARYKEY-google-5566778899aabbcc',
} as const;
const figures = new FigureRecorder('fuzz-provider-responses');

let server: HostileServer;
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
  figures.write();
});

const anyJsonish = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const loose = (keys: readonly string[]) =>
  fc.dictionary(fc.constantFrom(...keys), fc.oneof(anyJsonish, fc.string({ minLength: 1, maxLength: 40 })), {
    maxKeys: keys.length,
  });
const modelish = loose([
  'id',
  'name',
  'display_name',
  'displayName',
  'created_at',
  'created',
  'type',
  'object',
  'owned_by',
  'inputTokenLimit',
  'outputTokenLimit',
  'supportedGenerationMethods',
  'description',
  'version',
]);
const listish = fc.record(
  {
    data: fc.oneof(fc.array(modelish, { maxLength: 6 }), anyJsonish),
    models: fc.oneof(fc.array(modelish, { maxLength: 6 }), anyJsonish),
    has_more: fc.oneof(fc.boolean(), anyJsonish),
    last_id: anyJsonish,
    nextPageToken: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 8 }), anyJsonish),
    object: fc.oneof(fc.constant('list'), anyJsonish),
    error: fc.oneof(loose(['type', 'message', 'code', 'status', 'param', 'details']), anyJsonish),
    type: fc.oneof(fc.constant('error'), anyJsonish),
  },
  { requiredKeys: [] },
);
const jsonBody = fc.oneof(fc.jsonValue({ maxDepth: 3 }), listish).map((value) => JSON.stringify(value));
const malformed = fc.oneof(
  jsonBody.chain((text) => fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut))),
  fc.string({ maxLength: 200 }),
  fc.constant('<!DOCTYPE html><html><body>Bad Gateway</body></html>'),
  fc.constant('\u0000\u0001\uFFFD{"data":'),
);
const status = fc.oneof(
  fc.constantFrom(200, 200, 200, 400, 401, 403, 404, 408, 409, 429, 500, 502, 503, 529),
  fc.integer({ min: 200, max: 599 }),
);
const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('text/html; charset=utf-8'),
  fc.constant('application/octet-stream'),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
);
const retryAfter = fc.oneof(
  fc.constant({}),
  fc.string({ maxLength: 12 }).map((value) => ({ 'retry-after': value.replace(/[^\x20-\x7e]/g, '') })),
  fc.integer({ min: -5, max: 100_000 }).map((value) => ({ 'retry-after': String(value) })),
);

const reply: fc.Arbitrary<HostileReply> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('body' as const),
      status,
      contentType,
      body: fc.oneof(jsonBody, malformed),
      headers: retryAfter,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('huge' as const),
      status,
      bytes: fc.integer({ min: MAX_BODY + 1, max: 4 * MAX_BODY }),
      declared: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('drip' as const),
      status: fc.constantFrom(200, 500),
      everyMs: fc.integer({ min: 5, max: 40 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reset' as const),
      status: fc.constantFrom(200, 500, 503),
      partial: fc.oneof(jsonBody, fc.constant('')).map((text) => text.slice(0, 40)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('echo' as const),
      status: fc.constantFrom(400, 401, 403, 404, 429, 500, 503),
      field: fc.constantFrom('message' as const, 'code' as const, 'type' as const),
    }),
  },
);

const api = createProviderApi({
  timeoutMs: TIMEOUT_MS,
  maxAttempts: ATTEMPTS,
  maxBodyBytes: MAX_BODY,
  sleep: async () => undefined,
  random: () => 0,
});

/** What one call ended with, checked against the promises above. Returns a problem, or null. */
async function check(
  definition: ProviderDefinition,
  call: () => Promise<unknown>,
  secret: string,
): Promise<string | null> {
  const started = Date.now();
  let outcome: unknown;
  let error: unknown;
  try {
    outcome = await call();
  } catch (caught) {
    error = caught;
  }
  const elapsed = Date.now() - started;
  // 3 s of slack for a loaded machine: still far below the 15 s default timeout, and a drip never ends.
  if (elapsed > ATTEMPTS * TIMEOUT_MS + 3_000) return `took ${elapsed} ms`;
  if (error === undefined) {
    if (outcome === undefined) return null;
    const models = z.array(modelInfoSchema).safeParse(outcome);
    return models.success ? null : `returned malformed models: ${JSON.stringify(outcome).slice(0, 200)}`;
  }
  if (!(error instanceof AuthError)) return `threw ${inspect(error)}`;
  const { info } = error;
  if (!(ERROR_CODES as readonly string[]).includes(info.code) || info.code === 'internal') return `code ${info.code}`;
  if (info.provider !== definition.id) return `provider ${String(info.provider)}`;
  if (typeof info.message !== 'string' || info.message.length === 0 || info.message.length > 600)
    return `message ${JSON.stringify(info.message)}`;
  if (JSON.stringify(info).includes(secret)) return `the credential is in the error: ${JSON.stringify(info)}`;
  return null;
}

describe.each([
  [anthropicDefinition, { kind: 'api_key', apiKey: SECRETS.anthropic }],
  [openaiDefinition, { kind: 'bearer', accessToken: SECRETS.openai }],
  [googleDefinition, { kind: 'api_key', apiKey: SECRETS.google }],
] as const)('responses to the $id client', (definition, auth: ApiAuth) => {
  it(
    `yield models or a clean AuthError in bounded time, and never echo the credential (${RUNS} cases, seed ${FUZZ_SEED})`,
    { timeout: LONG_RUN ? 900_000 : 60_000 },
    async () => {
      const secret = auth.kind === 'api_key' ? auth.apiKey : auth.accessToken;
      const config = providerConfigFor(definition, server.url);
      let failures = 0;
      let firstProblem = '';
      const result = await fc.check(
        fc.asyncProperty(reply, async (next) => {
          server.reply = next;
          const problems = [
            await check(definition, () => api.validate(definition, config, auth), secret),
            await check(definition, () => api.listModels(definition, config, auth), secret),
          ].filter((p) => p !== null);
          if (problems.length > 0) {
            failures += 1;
            firstProblem ||= `${JSON.stringify(next).slice(0, 200)}: ${problems.join('; ')}`;
          }
          expect(problems).toEqual([]);
        }),
        { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      figures.add({
        kind: 'fuzz',
        target: `provider responses: ${definition.id} client`,
        runs: result.numRuns,
        failures,
        detail: `timeout ${TIMEOUT_MS} ms × ${ATTEMPTS}, body cap ${MAX_BODY / 1024} KB`,
      });
      expect(result.failed, `${firstProblem}\n${fc.defaultReportMessage(result) ?? ''}`).toBe(false);
    },
  );
});
