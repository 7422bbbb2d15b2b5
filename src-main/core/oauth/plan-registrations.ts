import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import type { StateStore } from '../store/state-store.js';

/**
 * What a plan sign-in (openai-siwc.md §1, §3, §4.3) keeps outside the sealed credential, in the
 * non-secret state of the data directory: this installation's host id, and per account the client
 * id OpenAI issued at its first sign-in. Neither is a secret (openai-siwc.md §1.1: the host id is
 * "not a credential"; an issued client id is public). Both outlive a sign-out: signing out and in
 * again must not register a new client, and a new data directory is a new host.
 */

const HOST_ID_KEY = 'installation.hostId';
const REGISTRATIONS_KEY = 'oauth.registrations';
const HOST_ID_PATTERN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** One account's registration with one issuer. */
export interface PlanRegistration {
  /** The issued client id (`oaiapp_…`); never the registration placeholder. */
  readonly clientId: string;
  /** The account's validated `sub`, remembered at sign-out so the next sign-in can be checked against it. */
  readonly subject?: string;
  /** The account's email from its validated ID token, for `login_hint`. */
  readonly email?: string;
}

const registrationSchema = z.object({
  clientId: z.string().check(z.minLength(1), z.maxLength(256)),
  subject: z.optional(z.string().check(z.maxLength(256))),
  email: z.optional(z.string().check(z.maxLength(320))),
});

/** provider → account label → issuer → registration. */
const registrationsSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown())));
type Registrations = z.infer<typeof registrationsSchema>;

function parseAll(value: unknown): Registrations {
  const parsed = registrationsSchema.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Registrations and the host id, over the shared state store (every process sees the same ones). */
export class PlanRegistrations {
  constructor(private readonly state: StateStore) {}

  /**
   * This installation's host id (`ext_agent_host_id`): a UUIDv4 URN created once, before the first
   * plan sign-in, and the same ever after — created inside one write transaction, so two processes
   * starting their first sign-in together still agree on it.
   */
  hostId(): string {
    const current = this.state.getState(HOST_ID_KEY);
    if (typeof current === 'string' && HOST_ID_PATTERN.test(current)) return current;
    let chosen = '';
    this.state.updateState(HOST_ID_KEY, (value) => {
      chosen = typeof value === 'string' && HOST_ID_PATTERN.test(value) ? value : `urn:uuid:${randomUUID()}`;
      return chosen;
    });
    return chosen;
  }

  /** The account's registration with `issuer`, when it has one. */
  get(provider: string, account: string, issuer: string): PlanRegistration | undefined {
    const parsed = registrationSchema.safeParse(
      parseAll(this.state.getState(REGISTRATIONS_KEY))[provider]?.[account]?.[issuer],
    );
    if (!parsed.success) return undefined;
    const { clientId, subject, email } = parsed.data;
    return { clientId, ...(subject !== undefined ? { subject } : {}), ...(email !== undefined ? { email } : {}) };
  }

  /** Records (or updates) the account's registration with `issuer`. */
  save(provider: string, account: string, issuer: string, registration: PlanRegistration): void {
    this.update((all) => {
      const accounts = (all[provider] ??= {});
      accounts[account] = { ...accounts[account], [issuer]: { ...registration } };
    });
  }

  /** Moves an account's registrations with its label (a rename keeps the registration). */
  rename(provider: string, from: string, to: string): void {
    this.update((all) => {
      const accounts = all[provider];
      if (accounts?.[from] === undefined) return;
      all[provider] = Object.fromEntries(
        Object.entries(accounts).map(([label, registration]) => [label === from ? to : label, registration]),
      );
    });
  }

  private update(mutate: (all: Registrations) => void): void {
    this.state.updateState(REGISTRATIONS_KEY, (current) => {
      const all = parseAll(current);
      mutate(all);
      return all;
    });
  }
}
