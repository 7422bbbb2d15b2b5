import type { ErrorInfo } from '../../src-shared/errors.js';
import type { StringOrEnv } from './config-schema.js';

/** Collects problems while reading configuration; each names where it came from. */
export class ProblemList {
  readonly items: ErrorInfo[] = [];

  add(where: string, message: string, provider?: string): void {
    this.items.push({
      code: 'config_invalid',
      message: `${where}: ${message}`,
      ...(provider !== undefined ? { provider } : {}),
    });
  }
}

/** Resolves a literal or `{ env }` reference; undefined when the variable is unset or empty. */
export function resolveStringOrEnv(value: StringOrEnv | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  const read = env[value.env];
  return read !== undefined && read.trim() !== '' ? read.trim() : undefined;
}

/** `anthropic` → `ANTHROPIC`, `my-llm` → `MY_LLM`: the provider part of THE_MAESTRO_* variables. */
export function envPrefixOf(provider: string): string {
  return `THE_MAESTRO_${provider.toUpperCase().replace(/-/g, '_')}_`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Checks an endpoint or base URL: https anywhere, plain http only on a loopback address (local
 * gateways and test servers). No credentials, query or fragment. Returns a reason when refused.
 */
export function checkServiceUrl(raw: string): { ok: true; url: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return { ok: false, reason: 'must be an https URL (plain http is accepted only for 127.0.0.1 or localhost)' };
  }
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'must not contain a user name or password' };
  if (url.search !== '' || url.hash !== '') return { ok: false, reason: 'must not contain a query or fragment' };
  return { ok: true, url: url.href.replace(/\/+$/, '') };
}
