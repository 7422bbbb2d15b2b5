/**
 * Reading fields of JSON whose shape we do not control (provider error bodies, token responses,
 * id_token claims, errors thrown by fetch): total functions that answer `undefined` instead of
 * throwing. Every provider and the OAuth machinery read unknown JSON with these.
 */

/** Returns a plain object view of an unknown JSON value, or undefined. */
export function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A non-empty string field of an unknown object, or undefined. */
export function stringField(record: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Who signed in, read from one object of a sign-in's answer (the ID token's claims, or the token
 * response's account object): each field only when it is a non-empty string.
 */
export function identityFields(
  record: Readonly<Record<string, unknown>> | undefined,
  idKey: string,
  emailKey: string,
): { readonly accountId?: string; readonly email?: string } {
  const accountId = stringField(record, idKey);
  const email = stringField(record, emailKey);
  return { ...(accountId !== undefined ? { accountId } : {}), ...(email !== undefined ? { email } : {}) };
}
