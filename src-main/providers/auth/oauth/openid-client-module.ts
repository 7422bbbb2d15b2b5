import type * as OpenIdClient from 'openid-client';

/** The openid-client module. */
export type OpenIdClientModule = typeof OpenIdClient;

/**
 * Loads openid-client on first use: most launches and most `resolve()` calls never start or
 * refresh a sign-in, and loading it at start-up costs every launch memory and time. Node caches
 * the module after the first import.
 */
export function openIdClient(): Promise<OpenIdClientModule> {
  return import('openid-client');
}
