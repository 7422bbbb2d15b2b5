import type { CredentialListFilter, ListPage } from '../credential-store.js';
import { META_COLUMNS } from './credential-row.js';

/**
 * The listing query for exactly the filters given, in the order of (provider, account_label,
 * auth_method). One statement per shape rather than `(? IS NULL OR column = ?)` for every filter:
 * SQLite cannot use an index for such terms. Every shape reads an index that already has the
 * listing order (the covering `provider_credentials_listing`, or the UNIQUE index when the
 * account is fixed), so ORDER BY needs no sorter and a page stops after `limit` rows.
 */
export function credentialListQuery(
  userId: string,
  filter: CredentialListFilter,
  page?: ListPage,
): { readonly sql: string; readonly params: (string | number)[] } {
  const { where, params } = whereOf(userId, filter);
  const window = page === undefined ? '' : ' LIMIT ? OFFSET ?';
  return {
    sql: `SELECT ${META_COLUMNS} FROM provider_credentials WHERE ${where} ORDER BY provider, account_label, auth_method${window}`,
    params: page === undefined ? params : [...params, page.limit, page.offset],
  };
}

/** How many rows the listing of `filter` has, counted in the index. */
export function credentialCountQuery(
  userId: string,
  filter: CredentialListFilter,
): { readonly sql: string; readonly params: string[] } {
  const { where, params } = whereOf(userId, filter);
  return { sql: `SELECT count(*) FROM provider_credentials WHERE ${where}`, params };
}

function whereOf(userId: string, filter: CredentialListFilter): { readonly where: string; readonly params: string[] } {
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
  return { where: terms.join(' AND '), params };
}
