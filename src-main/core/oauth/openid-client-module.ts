import type * as OpenIdClient from 'openid-client';

/** The openid-client module. */
export type OpenIdClientModule = typeof OpenIdClient;

let loading: Promise<OpenIdClientModule> | undefined;

/**
 * Loads openid-client on first use: most launches and most `resolve()` calls never start or
 * refresh a sign-in, and loading it at start-up costs every launch memory and time. The promise
 * is kept: a dynamic `import()` of a module already loaded still goes through the module loader
 * (its resolve hooks, a round trip to the loader thread under tsx), which measured 45–90 µs on
 * every token request (issue 6, callback completion).
 */
export function openIdClient(): Promise<OpenIdClientModule> {
  if (loading === undefined) {
    const started = import('openid-client');
    loading = started;
    // A failed load (a broken installation) is not remembered: the next call tries again.
    started.catch(() => {
      if (loading === started) loading = undefined;
    });
  }
  return loading;
}
