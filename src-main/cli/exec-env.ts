import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ResolvedCredential } from '../core/auth-service.js';

/** The variables one credential sets, the ones it clears (a competing credential of the same provider), or why it cannot go in an environment. */
export type CredentialEnv =
  | { readonly ok: true; readonly set: Readonly<Record<string, string>>; readonly clear: readonly string[] }
  | { readonly ok: false; readonly error: ErrorInfo };

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * The environment variables the provider's tools and SDKs read, per credential type:
 * Anthropic key → ANTHROPIC_API_KEY; Anthropic OAuth → ANTHROPIC_AUTH_TOKEN plus the beta header in
 * ANTHROPIC_CUSTOM_HEADERS (Claude Code reads it); OpenAI → OPENAI_API_KEY + OPENAI_BASE_URL (…/v1);
 * Google key → GEMINI_API_KEY and GOOGLE_API_KEY. A Google OAuth access token has no variable any of
 * Google's Gemini tools read as a bearer token, so it is refused with the reason.
 */
export function credentialEnv(credential: ResolvedCredential): CredentialEnv {
  const base = trimmed(credential.apiBaseUrl);
  const byKey = credential.method !== 'oauth';
  switch (credential.provider) {
    case 'anthropic': {
      if (byKey)
        return {
          ok: true,
          set: { ANTHROPIC_API_KEY: credential.secret, ANTHROPIC_BASE_URL: base },
          clear: ['ANTHROPIC_AUTH_TOKEN'],
        };
      const beta = credential.headers['anthropic-beta'];
      return {
        ok: true,
        set: {
          ANTHROPIC_AUTH_TOKEN: credential.secret,
          ANTHROPIC_BASE_URL: base,
          ...(beta !== undefined ? { ANTHROPIC_CUSTOM_HEADERS: `anthropic-beta: ${beta}` } : {}),
        },
        clear: ['ANTHROPIC_API_KEY'],
      };
    }
    case 'openai':
      return { ok: true, set: { OPENAI_API_KEY: credential.secret, OPENAI_BASE_URL: `${base}/v1` }, clear: [] };
    case 'google':
      if (byKey)
        return {
          ok: true,
          set: { GEMINI_API_KEY: credential.secret, GOOGLE_API_KEY: credential.secret, GOOGLE_GEMINI_BASE_URL: base },
          clear: [],
        };
      return {
        ok: false,
        error: {
          code: 'unsupported_method',
          provider: 'google',
          message:
            'Google sign-in (OAuth) cannot be passed through the environment: Gemini CLI and @google/genai read only API keys there. Store a Google API key (`the-maestro login google --api-key-stdin`), or call the API through a gateway that adds the `Authorization` header.',
        },
      };
    default:
      return {
        ok: false,
        error: {
          code: 'unsupported_method',
          provider: credential.provider,
          message: `The Maestro does not know which environment variables ${credential.provider}'s tools read.`,
        },
      };
  }
}

/**
 * The child's environment: ours, with each credential's variables set (overriding what the person
 * set, unless keepEnv) and its competing variables removed (also unless keepEnv).
 */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  entries: readonly Extract<CredentialEnv, { ok: true }>[],
  keepEnv: boolean,
): NodeJS.ProcessEnv {
  const cleared = new Set(keepEnv ? [] : entries.flatMap((entry) => entry.clear));
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(parent).filter(([name]) => !cleared.has(name)));
  for (const entry of entries) {
    for (const [name, value] of Object.entries(entry.set)) {
      if (keepEnv && env[name] !== undefined && env[name] !== '') continue;
      env[name] = value;
    }
  }
  return env;
}
