import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deepLinkRedirectUri,
  extractDeepLinkFromArgv,
  MAX_DEEP_LINK_LENGTH,
  parseDeepLink,
} from '../../../../src-main/core/oauth/deep-link.js';

const SCHEME = 'app.themaestro.desktop';
const PROVIDERS = ['anthropic', 'google', 'openai'] as const;
const options = { scheme: SCHEME, providers: PROVIDERS };
const RUNS = process.env['THE_MAESTRO_LONG'] === '1' ? 5_000 : 300;
const SEED = 20261124;

const token = fc.string({
  unit: fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_')),
  minLength: 8,
  maxLength: 64,
});
const validLink = fc
  .record({ provider: fc.constantFrom(...PROVIDERS), code: token, state: token, withIss: fc.boolean() })
  .map(
    ({ provider, code, state, withIss }) =>
      `${deepLinkRedirectUri(SCHEME, provider)}?code=${code}&state=${state}${withIss ? '&iss=https%3A%2F%2Fauth.example.test' : ''}`,
  );

/** Mutations of a valid link that must all be refused: each changes exactly what the parser must check. */
const MUTATIONS: readonly ((link: string, pick: number) => string)[] = [
  (link) => link.replace(`${SCHEME}:`, 'app.themaestro.desktoq:'),
  (link) => link.replace(`${SCHEME}:`, `${SCHEME.toUpperCase()}:`),
  (link) => link.replace(`${SCHEME}:`, 'https:'),
  (link) => link.replace(`${SCHEME}:/`, `${SCHEME}://evil.example/`),
  (link) => link.replace(`${SCHEME}:/`, `${SCHEME}://user:pw@`),
  (link) => link.replace(`${SCHEME}:/`, `${SCHEME}://`),
  (link) => link.replace('/oauth/', '/OAuth/'),
  (link) => link.replace('/callback', '/callback/'),
  (link) => link.replace('/callback', '/Callback'),
  (link) => link.replace(/\/oauth\/[a-z]+\//, '/oauth/evilcorp/'),
  (link) => link.replace(/\/oauth\/([a-z]+)\//, (_m, p: string) => `/oauth/${p.toUpperCase()}/`),
  (link) => link.replace('/oauth/', '/oauth/../oauth/'),
  (link) => `${link}#fragment`,
  (link) => `${link}&state=again`,
  (link) => `${link}&code=again`,
  (link) => link.replace('state=', 'stat='),
  (link) => link.replace(/code=[^&]*&?/, ''),
  (link, pick) => `${link.slice(0, pick % link.length)}\u0000${link.slice(pick % link.length)}`,
  (link, pick) => `${link.slice(0, pick % link.length)}\n${link.slice(pick % link.length)}`,
  (link, pick) => `${link.slice(0, pick % link.length)} ${link.slice(pick % link.length)}`,
  (link) => `${link}&x=%0a`,
  (link) => `${link}&note=%E0%A4%A`,
  (link) => `${link}&pad=${'a'.repeat(MAX_DEEP_LINK_LENGTH)}`,
  (link) => ` ${link}`,
  (link) => link.replace('?', '?error=access_denied&'),
];

describe('parseDeepLink', () => {
  it('accepts the exact callback form and returns the provider and response parameters', () => {
    const parsed = parseDeepLink(
      `${SCHEME}:/oauth/openai/callback?code=abc&state=xyz&iss=https%3A%2F%2Fauth.openai.com&extra=1`,
      options,
    );
    expect(parsed).toMatchObject({ ok: true, provider: 'openai' });
    if (!parsed.ok) return;
    expect(parsed.params.get('code')).toBe('abc');
    expect(parsed.params.get('iss')).toBe('https://auth.openai.com');
    expect(parsed.params.has('extra')).toBe(false);
  });

  it('accepts an error response with its state', () => {
    expect(parseDeepLink(`${SCHEME}:/oauth/google/callback?error=access_denied&state=s1`, options).ok).toBe(true);
  });

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['an empty string', ''],
    ['only the scheme', `${SCHEME}:`],
    ['a path without query', `${SCHEME}:/oauth/openai/callback`],
    ['state without code', `${SCHEME}:/oauth/openai/callback?state=s`],
    ['code without state', `${SCHEME}:/oauth/openai/callback?code=c`],
    ['both code and error', `${SCHEME}:/oauth/openai/callback?code=c&error=e&state=s`],
    ['an unknown provider', `${SCHEME}:/oauth/mistral/callback?code=c&state=s`],
  ])('refuses %s', (_name, input) => {
    expect(parseDeepLink(input, options).ok).toBe(false);
  });

  it('never throws and never accepts non-links (fuzzed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webUrl(), fc.anything()), (input) => {
        const parsed = parseDeepLink(input, options);
        if (parsed.ok) expect(typeof input === 'string' && input.startsWith(`${SCHEME}:/oauth/`)).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('accepts every generated valid link', () => {
    fc.assert(
      fc.property(validLink, (link) => {
        expect(parseDeepLink(link, options).ok).toBe(true);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('never accepts a near miss of a valid link (scheme, host, path, case, userinfo, fragment, duplicates, controls, size)', () => {
    fc.assert(
      fc.property(validLink, fc.integer({ min: 0, max: MUTATIONS.length - 1 }), fc.nat(), (link, which, pick) => {
        const mutated = (MUTATIONS[which] as (link: string, pick: number) => string)(link, pick);
        const parsed = parseDeepLink(mutated, options);
        expect(parsed.ok, `accepted ${JSON.stringify(mutated)}`).toBe(false);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

describe('extractDeepLinkFromArgv', () => {
  const flag = fc.oneof(
    fc.constantFrom(
      '--allow-file-access-from-files',
      '--no-sandbox',
      '-psn_0_12345',
      '--original-process-start-time=1',
    ),
    token.map((t) => `--${t}`),
    validLink.map((link) => `--url=${link}`),
    validLink.map((link) => `-${link}`),
  );
  const noise = fc.oneof(
    flag,
    fc.constantFrom('/usr/bin/the-maestro', 'C:\\Program Files\\The Maestro\\the-maestro.exe', '.', ''),
    fc.string(),
  );

  it('finds the link at any position among flags and noise, and never returns a flag', () => {
    fc.assert(
      fc.property(fc.array(noise, { maxLength: 8 }), validLink, fc.nat(), (args, link, position) => {
        const argv = [...args];
        argv.splice(position % (argv.length + 1), 0, link);
        const found = extractDeepLinkFromArgv(argv, SCHEME, PROVIDERS);
        expect(found).toBe(link);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('returns nothing when only flags carry links', () => {
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 8 }), (argv) => {
        expect(extractDeepLinkFromArgv(argv, SCHEME, PROVIDERS)).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('of several candidates takes the first valid one, skipping invalid ones before it', () => {
    fc.assert(
      fc.property(validLink, validLink, fc.array(noise, { maxLength: 4 }), (first, second, middle) => {
        const broken = `${first}#tampered`;
        const argv = ['the-maestro', broken, ...middle, first, second];
        expect(extractDeepLinkFromArgv(argv, SCHEME, PROVIDERS)).toBe(first);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('ignores non-string entries', () => {
    const link = `${SCHEME}:/oauth/openai/callback?code=c1234567&state=s1234567`;
    expect(extractDeepLinkFromArgv([undefined, 3, null, link] as unknown[], SCHEME)).toBe(link);
  });
});
