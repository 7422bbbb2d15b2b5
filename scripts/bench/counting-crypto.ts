/**
 * Stands in for `node:crypto` inside the core when the cold-start bundle is built for checking
 * (never for timing): counts AES-GCM decryptions, so the benchmark can show that start-up opens
 * the data key and no credential.
 */
import * as crypto from 'node:crypto';

export * from 'node:crypto';

const counter = globalThis as { __maestroBenchDecrypts?: number };
counter.__maestroBenchDecrypts = 0;

export const createDecipheriv: typeof crypto.createDecipheriv = ((
  ...args: Parameters<typeof crypto.createDecipheriv>
) => {
  counter.__maestroBenchDecrypts = (counter.__maestroBenchDecrypts ?? 0) + 1;
  return crypto.createDecipheriv(...args);
}) as typeof crypto.createDecipheriv;
