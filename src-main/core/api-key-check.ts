import { AuthError } from './auth-error.js';

/** The longest API key accepted anywhere (the window's field has the same bound); real keys are under 300 characters. */
export const API_KEY_MAX_LENGTH = 4096;

/**
 * Why a pasted API key cannot be a key, in a sentence a person can act on; null when its shape is
 * plausible. Surrounding whitespace (a paste's trailing newline) is not a problem: it is trimmed.
 * Only the shape is checked here; whether the provider accepts the key is its own question.
 */
export function apiKeyShapeProblem(raw: string): string | null {
  const key = raw.trim();
  if (key.length === 0) return 'The API key is empty.';
  if (key.length > API_KEY_MAX_LENGTH)
    return `The API key is ${String(key.length)} characters long; keys are at most ${String(API_KEY_MAX_LENGTH)}. Check what you pasted.`;
  if (/[\r\n]/.test(key)) return 'The API key spans more than one line. Paste the key alone, on one line.';
  if (/\s/.test(key)) return 'The API key contains spaces. API keys have none; check what you pasted.';
  if (!/^[\x21-\x7e]+$/.test(key))
    return 'The API key contains control or non-ASCII characters, which API keys never have. Check what you pasted.';
  return null;
}

/**
 * The one key check shared by every way in (command line, IPC, web): returns the key without
 * surrounding whitespace, or throws `invalid_input` saying what is wrong, before anything is sent
 * to a provider or stored.
 */
export function checkApiKey(raw: string, provider: string): string {
  const problem = apiKeyShapeProblem(raw);
  if (problem !== null) throw AuthError.of('invalid_input', `${problem} Nothing was stored.`, { provider });
  return raw.trim();
}
