import type { ErrorInfo } from '../../src-shared/errors.js';
import { ERROR_CODES } from '../../src-shared/errors.js';

/**
 * The agent's wire protocol: one JSON object per line each way, over the private socket. Checked
 * with plain type guards (no zod) because the command-line client that shares this file must stay
 * small. Bump the version on any incompatible change; an agent answers a request of another
 * version with `invalid_request` naming both. Additions that older peers can ignore keep the
 * version: `notices` on answers and the `acknowledge` operation came later within version 1 (an
 * older agent answers `acknowledge` with `invalid_request`, and the client then opens the store
 * itself; an older client ignores `notices`).
 */
export const AGENT_PROTOCOL_VERSION = 1;

/** A request line longer than this is refused and the connection closed (the agent reads no further). */
export const MAX_REQUEST_BYTES = 16 * 1024;
/** An answer longer than this is treated by the client as a broken agent (status of many accounts fits well under it). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type AgentRequest =
  | { readonly v: 1; readonly id: number; readonly op: 'status' }
  /** The person has read the storage notices: forget them (`status --acknowledge`). */
  | { readonly v: 1; readonly id: number; readonly op: 'acknowledge' }
  | {
      readonly v: 1;
      readonly id: number;
      readonly op: 'token';
      readonly provider: string;
      readonly account?: string;
      /** One forced refresh (single flight with every other caller). */
      readonly refresh?: boolean;
      /** Refresh first when the token expires within this many seconds. */
      readonly minValidSeconds?: number;
    }
  | { readonly v: 1; readonly id: number; readonly op: 'models'; readonly provider: string; readonly refresh?: boolean }
  | {
      readonly v: 1;
      readonly id: number;
      readonly op: 'use';
      readonly provider: string;
      readonly account?: string;
      readonly model?: string;
    }
  /** The gateway's status; with `key`, also its key (only while it is on). */
  | { readonly v: 1; readonly id: number; readonly op: 'gateway'; readonly key?: boolean };

export type AgentOp = AgentRequest['op'];

/**
 * `notices`: the storage notices every command repeats until acknowledged (a damaged database was
 * moved aside), present only when there are some; a client prints them as a direct run would.
 */
export type AgentResponse =
  | {
      readonly v: 1;
      readonly id: number;
      readonly ok: true;
      readonly value: unknown;
      readonly notices?: readonly string[];
    }
  | {
      readonly v: 1;
      readonly id: number;
      readonly ok: false;
      readonly error: ErrorInfo;
      readonly notices?: readonly string[];
    };

/** At most this many notices of at most 2,000 characters each are taken from an answer. */
const MAX_NOTICES = 16;

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(fields: Fields, key: string): boolean {
  return fields[key] === undefined || (typeof fields[key] === 'string' && fields[key].length <= 200);
}

function requiredString(fields: Fields, key: string): boolean {
  return typeof fields[key] === 'string' && fields[key].length > 0 && fields[key].length <= 200;
}

function optionalBoolean(fields: Fields, key: string): boolean {
  return fields[key] === undefined || typeof fields[key] === 'boolean';
}

function invalid(message: string): ErrorInfo {
  return { code: 'invalid_request', message };
}

/** The operation's own fields, checked; null when they are right. */
function opProblem(fields: Fields): string | null {
  switch (fields['op']) {
    case 'status':
    case 'acknowledge':
      return null;
    case 'token': {
      const minValid = fields['minValidSeconds'];
      const minValidOk =
        minValid === undefined || (typeof minValid === 'number' && Number.isFinite(minValid) && minValid >= 0);
      return requiredString(fields, 'provider') &&
        optionalString(fields, 'account') &&
        optionalBoolean(fields, 'refresh') &&
        minValidOk
        ? null
        : 'A token request needs a provider, and takes an optional account, refresh and minValidSeconds.';
    }
    case 'models':
      return requiredString(fields, 'provider') && optionalBoolean(fields, 'refresh')
        ? null
        : 'A models request needs a provider and takes an optional refresh.';
    case 'use':
      return requiredString(fields, 'provider') && optionalString(fields, 'account') && optionalString(fields, 'model')
        ? null
        : 'A use request needs a provider and takes an optional account and model.';
    case 'gateway':
      return optionalBoolean(fields, 'key') ? null : 'A gateway request takes an optional key (true or false).';
    default:
      return 'Unknown operation: the agent answers status, token, models, use, gateway and acknowledge.';
  }
}

/**
 * Parses one request line. Returns the request, or the error to answer with (and the id to answer
 * it under, 0 when the line had none).
 */
export function parseAgentRequest(
  line: string,
): { readonly request: AgentRequest } | { readonly id: number; readonly error: ErrorInfo } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { id: 0, error: invalid('The request is not JSON: send one JSON object per line.') };
  }
  if (!isRecord(parsed)) return { id: 0, error: invalid('The request must be a JSON object.') };
  const id = typeof parsed['id'] === 'number' && Number.isSafeInteger(parsed['id']) ? parsed['id'] : 0;
  if (parsed['v'] !== AGENT_PROTOCOL_VERSION)
    return {
      id,
      error: invalid(
        `This agent speaks protocol version ${AGENT_PROTOCOL_VERSION}; the request asked for ${JSON.stringify(parsed['v'] ?? null)}. Use the same version of The Maestro for both.`,
      ),
    };
  const problem = opProblem(parsed);
  if (problem !== null) return { id, error: invalid(problem) };
  // The guards above checked every field this type names.
  return { request: { ...parsed, id } as unknown as AgentRequest };
}

function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    isRecord(value) &&
    typeof value['message'] === 'string' &&
    (ERROR_CODES as readonly unknown[]).includes(value['code'])
  );
}

/** Checks the shape of an answer line (the client trusts the agent's values: it runs as the same user, behind a 0600 socket). */
export function parseAgentResponse(line: string): AgentResponse | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed['v'] !== AGENT_PROTOCOL_VERSION || typeof parsed['id'] !== 'number') return null;
  const notices = noticesOf(parsed['notices']);
  const extra = notices.length > 0 ? { notices } : {};
  if (parsed['ok'] === true && 'value' in parsed)
    return { v: 1, id: parsed['id'], ok: true, value: parsed['value'], ...extra };
  if (parsed['ok'] === false && isErrorInfo(parsed['error']))
    return { v: 1, id: parsed['id'], ok: false, error: parsed['error'], ...extra };
  return null;
}

/** The answer's notices: strings only, bounded; anything else is no notice. */
function noticesOf(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 2_000)
    .slice(0, MAX_NOTICES);
}
