import type { StoredAuthMethod } from '../../src-shared/auth-types.js';
import { META_COLUMNS, type CredentialMetaRow } from './credential-row.js';

export interface CredentialListFilter {
  readonly provider?: string;
  readonly accountLabel?: string;
  readonly authMethod?: StoredAuthMethod;
}

/**
 * The listing query for exactly the filters given. One statement per shape (at most eight),
 * rather than `(? IS NULL OR column = ?)` for every filter: SQLite cannot use an index for such
 * terms, so a lookup of one credential scanned every row of the user. With the filters spelled
 * out, (provider, method, account) is a lookup in the UNIQUE index and (provider) a range of
 * `provider_credentials_by_provider`.
 *
 * There is no ORDER BY: no index has the listing order, and SQLite's sorter costs more than the
 * rest of the query for the few rows a person has (profiled: 12 µs of 16). `sortListed` orders
 * the rows exactly as `ORDER BY provider, account_label, auth_method` (BINARY collation) would.
 */
export function credentialListQuery(userId: string, filter: CredentialListFilter): { readonly sql: string; readonly params: string[] } {
  const terms = ['user_id = ?'];
  const params = [userId];
  if (filter.provider !== undefined) {
    terms.push('provider = ?');
    params.push(filter.provider);
  }
  if (filter.accountLabel !== undefined) {
    terms.push('account_label = ?');
    params.push(filter.accountLabel);
  }
  if (filter.authMethod !== undefined) {
    terms.push('auth_method = ?');
    params.push(filter.authMethod);
  }
  return { sql: `SELECT ${META_COLUMNS} FROM provider_credentials WHERE ${terms.join(' AND ')}`, params };
}

/**
 * Compares as SQLite's BINARY collation does (memcmp of UTF-8, i.e. code point order). JavaScript's
 * `<` compares UTF-16 code units, which orders characters beyond U+FFFF before U+E000–U+FFFF.
 */
export function compareBinary(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Below the surrogates both orders agree; otherwise compare whole code points.
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(index) ?? 0) - (b.codePointAt(index) ?? 0);
  }
  return a.length - b.length;
}

/** Orders rows by provider, account label, then method, in place; returns them. */
export function sortListed<T extends Pick<CredentialMetaRow, 'provider' | 'account_label' | 'auth_method'>>(rows: T[]): T[] {
  if (rows.length < 2) return rows;
  return rows.sort(
    (a, b) => compareBinary(a.provider, b.provider) || compareBinary(a.account_label, b.account_label) || compareBinary(a.auth_method, b.auth_method),
  );
}
