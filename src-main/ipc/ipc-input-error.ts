import type * as z from 'zod/mini';
import type { ErrorInfo } from '../../src-shared/errors.js';
// The refusal quotes zod's messages: they must be English, as with classic zod.
import '../zod-english.js';

const MAX_NAMED_KEYS = 3;
const MAX_KEY_LENGTH = 40;

/** Quotes a key a sender chose, bounded so a megabyte-long key cannot flood a reply or a log. */
function quoteKey(key: PropertyKey): string {
  const text = String(key);
  return JSON.stringify(text.length > MAX_KEY_LENGTH ? `${text.slice(0, MAX_KEY_LENGTH)}…` : text);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'payload';
  if (issue.code === 'unrecognized_keys') {
    const named = issue.keys.slice(0, MAX_NAMED_KEYS).map(quoteKey).join(', ');
    const more = issue.keys.length > MAX_NAMED_KEYS ? ` and ${issue.keys.length - MAX_NAMED_KEYS} more` : '';
    return `${field} has unexpected field(s) ${named}${more}`;
  }
  return `${field}: ${issue.message}`;
}

/**
 * Turns a failed input parse into an `invalid_input` error naming the field(s). Zod's messages
 * describe what was expected, never the value received, so nothing a sender typed is echoed.
 */
export function invalidInput(channel: string, error: z.core.$ZodError): ErrorInfo {
  const details = error.issues.slice(0, 3).map(describeIssue).join('; ');
  return { code: 'invalid_input', message: `Invalid request to ${channel}: ${details}.` };
}
