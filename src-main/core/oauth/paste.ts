import { AuthError } from '../auth-error.js';

/**
 * What a person may paste when the browser cannot come back by itself: a bare code (for the flow
 * they pasted into), `code#state` as Anthropic's page shows it, or the whole redirect URL from the
 * address bar. Whatever the form, `state` is checked whenever it is present.
 */

const MAX_PASTE_LENGTH = 4096;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** Parameters of an authorization response that must not be repeated (`client_id`: a plan sign-in's issued client). */
const SINGLE = ['code', 'state', 'error', 'iss', 'client_id'] as const;

/** The flow the text was pasted into, as far as parsing needs to know it. */
export interface PasteTarget {
  readonly provider: string;
  readonly state: string;
  readonly redirectUri: string;
}

function invalid(provider: string, message: string): AuthError {
  return AuthError.of('invalid_input', message, { provider });
}

function withoutQuery(url: URL): string {
  const copy = new URL(url.href);
  copy.search = '';
  copy.hash = '';
  return copy.href;
}

/** A full redirect URL: it must be the flow's redirect URI (scheme, host, port and path). */
function fromUrl(text: string, target: PasteTarget): URLSearchParams {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(
      target.provider,
      'The pasted text looks like a link but is not a valid one. Paste the whole address from the browser.',
    );
  }
  if (withoutQuery(url) !== withoutQuery(new URL(target.redirectUri))) {
    throw invalid(
      target.provider,
      'The pasted link is not this sign-in’s redirect address. Paste the address the browser ended on.',
    );
  }
  for (const name of SINGLE) {
    if (url.searchParams.getAll(name).length > 1) throw invalid(target.provider, `The pasted link repeats "${name}".`);
  }
  const params = new URLSearchParams();
  for (const name of SINGLE) {
    const value = url.searchParams.get(name);
    if (value !== null) params.set(name, value);
  }
  const description = url.searchParams.get('error_description');
  if (description !== null) params.set('error_description', description);
  return params;
}

export interface PastedCallback {
  readonly params: URLSearchParams;
  /** True when a whole redirect URL was pasted (so `iss` is whatever the provider sent). */
  readonly fromUrl: boolean;
}

/**
 * Parses pasted text into callback parameters for `target`. Throws AuthError `invalid_input` for
 * text that is not a code, and `oauth_state_invalid` when it carries another flow's state.
 */
export function parsePastedCallback(pasted: string, target: PasteTarget): PastedCallback {
  const text = pasted.trim();
  if (text === '') throw invalid(target.provider, 'Nothing was pasted.');
  if (text.length > MAX_PASTE_LENGTH || !VISIBLE_ASCII.test(text)) {
    throw invalid(target.provider, 'The pasted text is not a sign-in code: copy the code or the whole address again.');
  }
  let params: URLSearchParams;
  const isUrl = URL_LIKE.test(text) && (text.includes('?') || text.includes('/'));
  if (isUrl) {
    params = fromUrl(text, target);
  } else {
    const hash = text.indexOf('#');
    const code = hash === -1 ? text : text.slice(0, hash);
    const state = hash === -1 ? target.state : text.slice(hash + 1);
    if (code === '' || state === '' || state.includes('#'))
      throw invalid(target.provider, 'The pasted code is incomplete: copy it again.');
    params = new URLSearchParams({ code, state });
  }
  const state = params.get('state');
  if (state === null)
    throw AuthError.of('oauth_state_invalid', 'The pasted address has no state: it does not belong to this sign-in.', {
      provider: target.provider,
    });
  if (state !== target.state) {
    throw AuthError.of(
      'oauth_state_invalid',
      'The pasted code belongs to another sign-in. Paste the code from the browser window this sign-in opened.',
      { provider: target.provider },
    );
  }
  return { params, fromUrl: isUrl };
}
