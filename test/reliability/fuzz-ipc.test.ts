import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHANNEL_NAMES,
  IPC_CHANNELS,
  replySchema,
  type ChannelInput,
  type ChannelName,
} from '../../src-shared/ipc-contract.js';
import { createCore, type Core } from '../../src-main/core/create-core.js';
import { createDispatch } from '../../src-main/ipc/ipc-dispatch.js';
import { createIpcHandlers, type IpcHandlers } from '../../src-main/ipc/ipc-handlers.js';
import { FilePreferencesStore } from '../../src-main/preferences/file-preferences.js';
import type { FakeAnthropicApi, FakeGoogleApi, FakeOpenAiApi } from '../fakes/index.js';
import { startAnthropicApi, startGoogleApi, startOpenAiApi } from '../fakes/index.js';
import { FigureRecorder, FUZZ_SEED, LONG_RUN } from './support/figures.js';
import { makeTempDir } from '../support/storage/temp-dir.js';

/**
 * Every IPC channel's payload, fuzzed, through the real handlers over a real core (real store,
 * local provider fakes): wrong types, missing and extra fields, prototype-pollution keys, huge
 * strings, deep nesting, exotic values. Nothing throws; a payload the contract refuses gets a
 * clear `invalid_input` naming the channel and changes nothing (status, settings, preferences
 * and stored rows compared before and after); a payload it accepts never ends in `internal`;
 * no reply ever carries a stored secret.
 */
const RUNS = LONG_RUN ? 2_000 : 120;
const KEYS = {
  anthropic: 'sk-ant-api03-ipcfuzz-anthropic-000000000000',
  openai: 'sk-proj-ipcfuzz-openai-11111111111111111',
  google: 'AIzaSyIpcFuzz-google-222222222222222222',
} as const;
const figures = new FigureRecorder('fuzz-ipc');

/** One valid payload per channel: a compile error when a channel is added without one. */
const VALID: { readonly [C in ChannelName]: ChannelInput<C> } = {
  'providers.list': {},
  'auth.saveApiKey': { provider: 'anthropic', apiKey: KEYS.anthropic, account: 'work', validate: true },
  'auth.startOAuth': { provider: 'google', account: 'personal', redirectMode: 'loopback' },
  'auth.submitPastedCode': { flowId: 'flow-1', pasted: 'code#state' },
  'auth.cancelOAuth': { flowId: 'flow-1' },
  'auth.logout': { provider: 'openai', account: 'default', method: 'api_key' },
  'auth.validate': { provider: 'openai', account: 'default' },
  'accounts.rename': { provider: 'anthropic', from: 'default', to: 'work' },
  'accounts.list': { provider: 'anthropic', offset: 0, limit: 20 },
  'session.get': {},
  'session.setActiveProvider': { provider: 'google', account: 'default' },
  'models.list': { provider: 'anthropic', refresh: true },
  'models.select': { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  'models.test': { provider: 'anthropic', model: 'claude-sonnet-4-5', account: 'default' },
  'plan.acknowledgeNotice': { provider: 'openai' },
  'storage.acknowledgeNotices': {},
  'settings.get': {},
  'settings.update': { theme: 'dark', closeToTray: false, fallbackOrder: ['api_key', 'oauth', 'env'] },
  'gateway.get': {},
  'gateway.setEnabled': { enabled: false },
  'gateway.setPort': { port: 18787 },
  'gateway.copyKey': {},
  'gateway.rotateKey': { confirmed: true },
  'cli.get': {},
  'cli.install': {},
  'cli.uninstall': {},
  'providers.getQuotaProject': { provider: 'google' },
  'providers.setQuotaProject': { provider: 'google', quotaProject: 'my-gemini-project' },
};

let fakes: [FakeAnthropicApi, FakeOpenAiApi, FakeGoogleApi];
let temp: ReturnType<typeof makeTempDir>;
let core: Core;
let preferences: FilePreferencesStore;
let handlers: IpcHandlers;

beforeAll(async () => {
  fakes = await Promise.all([
    startAnthropicApi({ validKeys: [KEYS.anthropic] }),
    startOpenAiApi({ validKeys: [KEYS.openai] }),
    startGoogleApi({ validKeys: [KEYS.google] }),
  ]);
  temp = makeTempDir('maestro-ipc-fuzz-');
  const env = {
    THE_MAESTRO_ANTHROPIC_API_BASE_URL: fakes[0].url,
    THE_MAESTRO_OPENAI_API_BASE_URL: fakes[1].url,
    THE_MAESTRO_GOOGLE_API_BASE_URL: fakes[2].url,
  };
  core = await createCore({ dataDir: temp.dir, env, purpose: 'test' });
  preferences = new FilePreferencesStore(join(temp.dir, 'preferences.json'));
  handlers = createIpcHandlers({ auth: core.auth, preferences });
  for (const [provider, apiKey] of Object.entries(KEYS))
    expect((await core.auth.saveApiKey({ provider, apiKey })).ok).toBe(true);
});
afterAll(async () => {
  await core.dispose();
  await Promise.all(fakes.map((fake) => fake.close()));
  temp.remove();
  figures.write();
});

/** Everything a refused request must leave alone. */
async function snapshot(): Promise<string> {
  return JSON.stringify({
    status: await core.auth.status(),
    settings: core.auth.getSettings(),
    preferences: preferences.get(),
    rows: core.store.list(),
  });
}

const exotic = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withSparseArray: true,
});
const pollutingKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'),
  fc.string({ maxLength: 12 }),
);

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let level = 0; level < depth; level += 1) value = level % 2 === 0 ? [value] : { provider: value };
  return value;
}

/** Plausible values for each field name the channels use: what the window really sends. */
function plausible(key: string, sample: unknown): fc.Arbitrary<unknown> {
  switch (key) {
    case 'provider':
      return fc.constantFrom('anthropic', 'google', 'openai');
    case 'account':
    case 'from':
    case 'to':
      return fc.constantFrom('default', 'work', 'personal', 'team-2');
    case 'apiKey':
      return fc.oneof(fc.constantFrom(...Object.values(KEYS)), fc.stringMatching(/^sk-[A-Za-z0-9]{24,40}$/));
    case 'method':
      return fc.constantFrom('api_key', 'oauth');
    case 'model':
      return fc.constantFrom('claude-sonnet-4-5', 'gpt-4o', 'gemini-2.5-pro', 'no-such-model');
    case 'theme':
      return fc.constantFrom('dark', 'light', 'system');
    case 'offset':
      return fc.nat({ max: 50 });
    case 'limit':
      return fc.integer({ min: 1, max: 100 });
    case 'flowId':
      return fc.oneof(fc.constant('flow-1'), fc.uuid());
    case 'fallbackOrder':
      return fc.shuffledSubarray(['api_key', 'oauth', 'env'], { minLength: 3, maxLength: 3 });
    default:
      return typeof sample === 'boolean' ? fc.boolean() : fc.constant(sample);
  }
}

/**
 * Payloads the contract accepts, built from plausible field values (optional fields sometimes
 * left out): these reach the core. A combination the schema refuses falls back to the channel's
 * valid sample, so every case of this generator is accepted.
 */
function validPayloads(channel: ChannelName): fc.Arbitrary<unknown> {
  const valid = VALID[channel] as Record<string, unknown>;
  const schema = IPC_CHANNELS[channel].input;
  const fields = Object.fromEntries(Object.entries(valid).map(([key, sample]) => [key, plausible(key, sample)]));
  return fc
    .record(fields, { requiredKeys: [] })
    .map((candidate): unknown => (schema.safeParse(candidate).success ? candidate : valid));
}

/** Most cases valid (they reach the core), the rest hostile. */
function payloads(channel: ChannelName): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: validPayloads(channel) }, { weight: 1, arbitrary: hostilePayloads(channel) });
}

/** Payloads derived from a valid one: a field of the wrong type, an extra (polluting) key, a huge string, a missing field, deep nesting. */
function hostilePayloads(channel: ChannelName): fc.Arbitrary<unknown> {
  const valid = VALID[channel] as Record<string, unknown>;
  const keys = Object.keys(valid);
  const field = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('provider');
  return fc.oneof(
    exotic,
    fc.tuple(field, exotic).map(([key, value]) => ({ ...valid, [key]: value })),
    fc
      .tuple(pollutingKey, fc.jsonValue({ maxDepth: 2 }))
      .map(
        ([key, value]) =>
          JSON.parse(
            `{${JSON.stringify(key)}: ${JSON.stringify(value)}${keys.length > 0 ? `, ${JSON.stringify(valid).slice(1, -1)}` : ''}}`,
          ) as unknown,
      ),
    fc
      .tuple(field, fc.integer({ min: 4_097, max: 1_000_000 }), fc.constantFrom('a', 'é', '\u0000', '𝄞'))
      .map(([key, length, unit]) => ({ ...valid, [key]: unit.repeat(length) })),
    field.map((key) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== key))),
    fc.integer({ min: 50, max: 2_000 }).map((depth) => ({ ...valid, [keys[0] ?? 'provider']: nested(depth) })),
    // Schema-shaped but arbitrary values: some are valid, and then the core must cope with them.
    fc.dictionary(
      fc.constantFrom(...keys, 'account', 'provider'),
      fc.oneof(
        fc.constantFrom('anthropic', 'google', 'openai', 'default', 'work', ' spaced ', 'ünï', 'a'.repeat(64)),
        fc.string({ maxLength: 70 }),
        fc.boolean(),
      ),
    ),
  );
}

describe('IPC payloads through the real handlers and core', () => {
  it.each(CHANNEL_NAMES.map((channel) => [channel]))(
    `%s: never throws; refusals are invalid_input and change nothing (${RUNS} cases)`,
    { timeout: LONG_RUN ? 600_000 : 60_000 },
    async (channel) => {
      let failures = 0;
      let refused = 0;
      let acceptedCases = 0;
      let firstProblem = '';
      const result = await fc.check(
        fc.asyncProperty(payloads(channel), async (payload) => {
          const accepted = IPC_CHANNELS[channel].input.safeParse(payload).success;
          if (accepted) acceptedCases += 1;
          const before = accepted ? '' : await snapshot();
          const problems: string[] = [];
          let reply: unknown;
          try {
            reply = await handlers[channel](payload);
          } catch (error) {
            problems.push(`threw ${String(error)}`);
          }
          const parsed = replySchema(channel).safeParse(reply);
          if (!parsed.success) problems.push('reply does not match the contract');
          // No reply when the handler threw (JSON.stringify(undefined) is undefined despite its type).
          const text = reply === undefined ? '' : JSON.stringify(reply);
          if (Object.values(KEYS).some((key) => text.includes(key))) problems.push('a stored secret is in the reply');
          if (
            ({} as Record<string, unknown>)['polluted'] !== undefined ||
            Object.prototype.hasOwnProperty.call(Object.prototype, 'provider')
          )
            problems.push('prototype polluted');
          if (parsed.success && !accepted) {
            refused += 1;
            if (
              parsed.data.ok ||
              parsed.data.error.code !== 'invalid_input' ||
              !parsed.data.error.message.includes(channel) ||
              parsed.data.error.message.length > 600
            )
              problems.push(`refusal was ${text.slice(0, 200)}`);
            if ((await snapshot()) !== before) problems.push('state changed on a refused request');
          }
          if (parsed.success && accepted && !parsed.data.ok && parsed.data.error.code === 'internal')
            problems.push(`internal error for an accepted payload: ${text.slice(0, 200)}`);
          if (problems.length > 0) {
            failures += 1;
            firstProblem ||= `${problems.join('; ')} for ${payload === undefined ? 'undefined' : JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)).slice(0, 300)}`;
          }
          expect(problems).toEqual([]);
        }),
        { numRuns: RUNS, seed: FUZZ_SEED, endOnFailure: true },
      );
      figures.add({
        kind: 'fuzz',
        target: `IPC ${channel}`,
        runs: result.numRuns,
        failures,
        detail: `${acceptedCases} accepted and run by the core; ${refused} refused as invalid_input with state unchanged`,
      });
      expect(result.failed, `${firstProblem}\n${fc.defaultReportMessage(result) ?? ''}`).toBe(false);
      // Most cases must get past the contract: a fuzz that only meets the validator tests little.
      expect(acceptedCases, `${acceptedCases} of ${result.numRuns} cases were accepted`).toBeGreaterThanOrEqual(
        result.numRuns * 0.6,
      );
    },
  );

  it('refuses every name that is not a channel, inherited and near-miss names included', async () => {
    const nearMisses = [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      ...CHANNEL_NAMES.map((name) => `${name} `),
      ...CHANNEL_NAMES.map((name) => name.toUpperCase()),
    ];
    const channelName = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...nearMisses));
    const dispatch = createDispatch(handlers);
    let failures = 0;
    const result = await fc.check(
      fc.asyncProperty(channelName, exotic, async (name, payload) => {
        const reply = await dispatch(name, payload);
        const expected = (CHANNEL_NAMES as readonly string[]).includes(name);
        if (!expected && (reply.ok || reply.error.code !== 'invalid_input')) failures += 1;
        if (!expected)
          expect(reply).toEqual({ ok: false, error: { code: 'invalid_input', message: 'Unknown IPC channel.' } });
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    figures.add({ kind: 'fuzz', target: 'IPC channel names (dispatch)', runs: result.numRuns, failures });
    expect(result.failed, fc.defaultReportMessage(result) ?? '').toBe(false);
  });
});
