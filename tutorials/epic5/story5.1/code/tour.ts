/**
 * Chapter 1: what the core says about each provider before anyone signs in. Everything here
 * comes from `auth.status()`, the same call behind the window, the tray and `the-maestro status`.
 */
import type { AuthService } from '../../../../src-main/core/auth-service.js';

/** One line per provider: its state, the methods it offers now, and why the others are not offered. */
export async function describeProviders(auth: AuthService): Promise<string[]> {
  const status = await auth.status();
  return status.providers.map((provider) => {
    const offered = provider.availableMethods.join(', ');
    const missing = provider.unavailableMethods.map((item) => `${item.method}: ${item.reason}`).join(' | ');
    return `${provider.id} [${provider.state}] offers ${offered}${missing === '' ? '' : ` — not offered: ${missing}`}`;
  });
}
