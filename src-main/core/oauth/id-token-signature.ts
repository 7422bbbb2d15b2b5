import { constants, createPublicKey, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type * as client from 'openid-client';
import { asRecord } from '../providers/json-fields.js';

/**
 * The ID token's signature (OIDC Core §3.1.3.7 step 6; RFC 7515 §5.2) verified against the key
 * set the issuer publishes at its `jwks_uri`, synchronously with node:crypto. openid-client still
 * checks everything else about the token (`iss`, `aud`, `exp`, `iat`, `nonce`, `azp`, the `alg`
 * the issuer announced) before this runs; only the signature is checked here.
 *
 * Why not openid-client's `enableNonRepudiationChecks`: it verifies with WebCrypto, whose
 * `verify` is a job on libuv's thread pool. Handing it to a sleeping worker thread and back cost
 * 0.1 ms on an idle machine and well over 1 ms on a loaded one — five to fifty times the RSA
 * verification itself (0.02 ms) — on every sign-in and every refresh that returns an ID token.
 * The key-set rules are openid-client's (oauth4webapi's): cached for five minutes, fetched again
 * for an unknown key only when the cached set is at least a minute old, exactly one matching key.
 */

/** The ID token failed the signature check; `check` says what, for the person's message. */
export class IdTokenSignatureError extends Error {
  constructor(readonly check: string) {
    super(`ID token refused: ${check}`);
    this.name = 'IdTokenSignatureError';
  }
}

/** The issuer's key set could not be read: an HTTP status, or a document that is not a key set. */
export class KeySetError extends Error {
  constructor(
    readonly detail: string,
    readonly status?: number,
  ) {
    super(`key set unavailable: ${detail}`);
    this.name = 'KeySetError';
  }
}

type Jwk = Readonly<Record<string, unknown>>;

interface KeySet {
  readonly keys: readonly Jwk[];
  readonly fetchedAt: number;
}

/** How each asymmetric JWS algorithm (RFC 7518 §3, RFC 8037) is verified with node:crypto. */
interface Algorithm {
  readonly kty: 'RSA' | 'EC' | 'OKP';
  readonly crv?: string;
  /** The digest, or null where the algorithm hashes itself (Ed25519). */
  readonly hash: string | null;
  readonly options?: Omit<VerifyKeyObjectInput, 'key'>;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const P1363 = { dsaEncoding: 'ieee-p1363' } as const;

const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  RS256: { kty: 'RSA', hash: 'sha256' },
  RS384: { kty: 'RSA', hash: 'sha384' },
  RS512: { kty: 'RSA', hash: 'sha512' },
  PS256: { kty: 'RSA', hash: 'sha256', options: PSS },
  PS384: { kty: 'RSA', hash: 'sha384', options: PSS },
  PS512: { kty: 'RSA', hash: 'sha512', options: PSS },
  ES256: { kty: 'EC', crv: 'P-256', hash: 'sha256', options: P1363 },
  ES384: { kty: 'EC', crv: 'P-384', hash: 'sha384', options: P1363 },
  ES512: { kty: 'EC', crv: 'P-521', hash: 'sha512', options: P1363 },
  Ed25519: { kty: 'OKP', crv: 'Ed25519', hash: null },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', hash: null },
};

/** A key set older than this is fetched again before use. */
const KEY_SET_MAX_AGE_MS = 300_000;
/** An unknown key makes a key set at least this old be fetched again, once. */
const KEY_SET_REFETCH_AFTER_MS = 60_000;

function decodeHeader(part: string): { readonly alg: string; readonly kid?: string } {
  let header: Record<string, unknown> | undefined;
  try {
    header = asRecord(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  } catch {
    header = undefined;
  }
  const alg = header?.['alg'];
  const kid = header?.['kid'];
  if (typeof alg !== 'string') throw new IdTokenSignatureError('its header');
  return { alg, ...(typeof kid === 'string' ? { kid } : {}) };
}

/** The keys that may have signed with `alg` (RFC 7517 §4): its type and curve, its `kid`, `alg`, `use` and `key_ops` if given. */
function candidates(keys: readonly Jwk[], alg: string, algorithm: Algorithm, kid: string | undefined): Jwk[] {
  return keys.filter((jwk) => {
    const ops = jwk['key_ops'];
    return (
      jwk['kty'] === algorithm.kty &&
      (algorithm.crv === undefined || jwk['crv'] === algorithm.crv) &&
      (kid === undefined || jwk['kid'] === kid) &&
      (jwk['alg'] === undefined || jwk['alg'] === alg) &&
      (jwk['use'] === undefined || jwk['use'] === 'sig') &&
      (!Array.isArray(ops) || ops.includes('verify'))
    );
  });
}

/** Verifies ID-token signatures against issuers' key sets, which it fetches and caches per `jwks_uri`. */
export class IdTokenSignatures {
  private readonly keySets = new Map<string, { readonly provider: string; readonly set: Promise<KeySet> }>();
  private readonly publicKeys = new WeakMap<Jwk, KeyObject>();
  /** Each configuration's `jwks_uri`: `serverMetadata()` deep-copies the whole document on every call. */
  private readonly keySetUris = new WeakMap<client.Configuration, string | null>();

  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Throws IdTokenSignatureError unless `idToken` is signed by exactly one key of the issuer's
   * key set with an asymmetric algorithm; KeySetError (or a network error) when the set cannot be read.
   */
  async check(provider: string, configuration: client.Configuration, idToken: string): Promise<void> {
    const parts = idToken.split('.');
    const [protectedHeader = '', payload = '', signature = ''] = parts;
    if (parts.length !== 3) throw new IdTokenSignatureError('its format');
    const { alg, kid } = decodeHeader(protectedHeader);
    const algorithm = ALGORITHMS[alg];
    // `none` and the HMAC algorithms (a shared secret) can never prove who signed.
    if (algorithm === undefined) throw new IdTokenSignatureError(`its signing algorithm ${JSON.stringify(alg)}`);
    const jwksUri = this.keySetUri(configuration);
    if (jwksUri === null) throw new KeySetError('the issuer publishes no key set (jwks_uri)');
    // openid-client's own default when a configuration has no timeout: 30 s.
    const timeoutMs = (configuration.timeout ?? 30) * 1000;
    let set = await this.keySet(provider, jwksUri, timeoutMs, false);
    let found = candidates(set.keys, alg, algorithm, kid);
    if (found.length === 0 && this.now() - set.fetchedAt >= KEY_SET_REFETCH_AFTER_MS) {
      set = await this.keySet(provider, jwksUri, timeoutMs, true);
      found = candidates(set.keys, alg, algorithm, kid);
    }
    const [jwk] = found;
    if (jwk === undefined || found.length !== 1)
      throw new IdTokenSignatureError(
        found.length === 0
          ? 'its signing key, which is not in the published key set'
          : 'its signing key, which the published key set does not single out',
      );
    const data = Buffer.from(`${protectedHeader}.${payload}`);
    const valid = verify(
      algorithm.hash,
      data,
      { key: this.publicKey(jwk), ...algorithm.options },
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) throw new IdTokenSignatureError('its signature');
  }

  /** Forgets a provider's key sets (its signing key may have rotated, or its endpoints moved). */
  forget(provider: string): void {
    for (const [uri, entry] of this.keySets) if (entry.provider === provider) this.keySets.delete(uri);
  }

  private keySetUri(configuration: client.Configuration): string | null {
    let uri = this.keySetUris.get(configuration);
    if (uri === undefined) {
      uri = configuration.serverMetadata().jwks_uri ?? null;
      this.keySetUris.set(configuration, uri);
    }
    return uri;
  }

  private publicKey(jwk: Jwk): KeyObject {
    let key = this.publicKeys.get(jwk);
    if (key === undefined) {
      try {
        key = createPublicKey({ key: { ...jwk }, format: 'jwk' });
      } catch {
        throw new IdTokenSignatureError('its signing key, which the published key set describes wrongly');
      }
      this.publicKeys.set(jwk, key);
    }
    return key;
  }

  /** The cached key set when fresh (and not `refetch`), else a new one; one fetch at a time per set. */
  private async keySet(provider: string, uri: string, timeoutMs: number, refetch: boolean): Promise<KeySet> {
    const cached = this.keySets.get(uri);
    if (cached !== undefined && !refetch) {
      // A fetch in flight is shared, its failure included (a failed one is not kept).
      const set = await cached.set;
      if (this.now() - set.fetchedAt < KEY_SET_MAX_AGE_MS) return set;
    }
    const fetching = this.download(uri, timeoutMs);
    const entry = { provider, set: fetching };
    this.keySets.set(uri, entry);
    fetching.catch(() => {
      if (this.keySets.get(uri) === entry) this.keySets.delete(uri);
    });
    return fetching;
  }

  private async download(uri: string, timeoutMs: number): Promise<KeySet> {
    const response = await this.fetchImpl(uri, {
      headers: { accept: 'application/json, application/jwk-set+json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new KeySetError(`HTTP ${String(response.status)}`, response.status);
    }
    let keys: unknown;
    try {
      keys = asRecord(await response.json())?.['keys'];
    } catch {
      keys = undefined;
    }
    if (!Array.isArray(keys)) throw new KeySetError('not a key set');
    return { keys: keys.map((key) => asRecord(key) ?? {}), fetchedAt: this.now() };
  }
}
