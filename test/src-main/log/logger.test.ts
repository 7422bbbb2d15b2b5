import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, redact, redactEveryPattern, redactText, REDACTED } from '../../../src-main/log/logger.js';

const SECRET = 'S3cr3tValue-0123456789abcdef';

function logged(message: string, fields?: Record<string, unknown>): string {
  const lines: string[] = [];
  createLogger({ sink: (line) => lines.push(line), level: 'debug', now: () => 0 }).info(message, fields);
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('the logger redacts', () => {
  it.each([
    'authorization',
    'access_token',
    'refreshToken',
    'code',
    'code_verifier',
    'codeVerifier',
    'verifier',
    'state',
    'key',
    'apiKey',
    'client_secret',
    'password',
  ])('the field %s, at any depth', (field) => {
    const line = logged('event', { outer: { [field]: SECRET }, list: [{ [field]: SECRET }] });
    expect(line).not.toContain(SECRET);
    expect(line).toContain(REDACTED);
  });

  it('keeps our own error codes and harmless fields', () => {
    expect(redact({ code: 'invalid_credentials', keyId: 'k1', provider: 'openai' })).toEqual({
      code: 'invalid_credentials',
      keyId: 'k1',
      provider: 'openai',
    });
  });

  it.each([
    ['a JSON body in a string', `token endpoint said {"access_token":"${SECRET}","refresh_token":"${SECRET}x"}`],
    ['a JSON body with spaces', `{ "refresh_token" : "${SECRET}" }`],
    ['an escaped JSON body inside JSON', `{"body":"{\\"refresh_token\\":\\"${SECRET}\\"}"}`],
    ['a form body', `grant_type=refresh_token&refresh_token=${SECRET}&client_id=abc`],
    ['a Google refresh token', `got 1//0gAbCdEf${SECRET}`],
    ['a password in a URL', `connecting to https://user:${SECRET}@proxy.example.com:8080/path`],
    ['a custom-scheme redirect with one slash', `com.googleusercontent.apps.123:/oauth2redirect?code=${SECRET}`],
    ['a custom-scheme redirect without slashes', `the-maestro:oauth/callback?code=${SECRET}&state=abc`],
    ['a deep link', `the-maestro://oauth/callback?code=${SECRET}`],
    ['an https URL query', `https://auth.example.com/authorize?state=${SECRET}&code_challenge=x`],
    ['a URL fragment', `http://127.0.0.1:1455/cb#access_token=${SECRET}`],
    ['an Anthropic key', `sk-ant-api03-${SECRET}`],
    ['a bearer header', `Authorization: Bearer ${SECRET}`],
  ])('%s in free text', (_name, text) => {
    const out = redactText(text);
    expect(out).not.toContain(SECRET);
    expect(out).toContain('[redacted]');
    // And through the logger, as message and as field.
    expect(logged(text, { detail: text })).not.toContain(SECRET);
  });

  it('keeps the parts of a URL that say where it went', () => {
    expect(redactText(`https://user:${SECRET}@proxy.example.com/path?x=1`)).toBe(
      'https://user:[redacted]@proxy.example.com/path?[redacted]',
    );
    expect(redactText('see https://example.com/docs for more')).toBe('see https://example.com/docs for more');
  });

  it('redacts an Error message and bounds cycles', () => {
    const cyclic: Record<string, unknown> = { message: `refresh_token=${SECRET}` };
    cyclic['self'] = cyclic;
    const line = logged('failed', { error: new Error(`{"refresh_token":"${SECRET}"}`), cyclic });
    expect(line).not.toContain(SECRET);
  });

  it('drops records below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line), level: 'warn' });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(['loud']);
  });
});

describe('the pre-check that lets plain text skip the replacements', () => {
  // Pieces of every secret shape and of every syntax the patterns look for, mixed with plain text.
  const piece = fc.oneof(
    fc.constantFrom(
      'sk-',
      'sk-ant-',
      'SK-',
      'AIza',
      'aiza',
      'ya29.',
      'YA29.',
      'eyJ',
      'EYJ',
      'Bearer ',
      'bearer\t',
      'Basic ',
      '1//',
      '/1//',
      'x1//',
      '"',
      '\\"',
      '=',
      ':',
      '://',
      '?',
      '#',
      '@',
      '&',
      ' ',
      '.',
      '-',
      '_',
      'token',
      'code',
      'key',
      'api_key',
      'refresh_token',
      'https',
      'app',
      'abcdefghijkl',
      '0123456789',
      'ABCDEFGHIJ',
      'é',
      '\n',
    ),
    fc.string({ maxLength: 6 }),
  );
  const text = fc.array(piece, { maxLength: 24 }).map((parts) => parts.join(''));

  it('never changes what is redacted: with and without it, every text comes out the same', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ maxLength: 80 })), (value) => {
        expect(redactText(value)).toBe(redactEveryPattern(value));
      }),
      { numRuns: 5_000 },
    );
  });

  it("lets a gateway log line's plain values through untouched, and still catches a key among them", () => {
    for (const plain of ['gateway request', 'POST', '/openai/v1/chat/completions', 'work (team)', '-']) {
      expect(redactText(plain)).toBe(plain);
    }
    expect(redactText('route sk-abcdefgh12345678 x')).toBe(`route ${REDACTED} x`);
  });
});
