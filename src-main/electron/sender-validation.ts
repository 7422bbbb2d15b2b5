import type { ErrorInfo } from '../../src-shared/errors.js';
import { APP_PROTOCOL_HOST, APP_PROTOCOL_SCHEME } from './app-identity.js';

/** The parts of Electron's WebFrameMain that decide whether a frame may call us. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/**
 * Checks who is calling before the payload is even looked at: only the top frame of a page
 * served by our own protocol and host. A sub-frame (an iframe, even one of ours), a frame that
 * navigated away, and a frame already gone (`senderFrame` is null after a navigation or crash)
 * are refused. Returns the error to reply with, or null when the sender is ours.
 */
export function checkSenderFrame(frame: SenderFrameLike | null | undefined): ErrorInfo | null {
  if (frame === null || frame === undefined) return refusal('the calling frame no longer exists');
  if (frame.parent !== null) return refusal('it came from an embedded frame');
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return refusal('the calling page has no valid address');
  }
  if (url.protocol !== `${APP_PROTOCOL_SCHEME}:` || url.host !== APP_PROTOCOL_HOST) {
    return refusal('the calling page is not The Maestro’s own');
  }
  return null;
}

function refusal(why: string): ErrorInfo {
  return { code: 'invalid_request', message: `Request refused: ${why}.` };
}
