import type { ModelTestView } from '../../src-shared/view-models.js';
import { AuthError } from './auth-error.js';
import type { ResolvedCredential } from './auth-service.js';
import { planCredentialUse } from './plan-credentials.js';
import type { StreamingApi } from './providers/api-stream.js';
import { modelTestProtocol } from './providers/model-test-requests.js';
import type { ProviderAuth } from './providers/provider-auth.js';

/**
 * "Test this model": one minimal streamed request to the provider's own generation API with the
 * credential the fallback chain resolved, read to its end. Success is the provider's own
 * "complete" event (for OpenAI only `response.completed` counts); the result names the model,
 * the credential and account that answered, the first words and the latency to the first token.
 */

export interface ModelTestInput {
  readonly auth: ProviderAuth;
  readonly credential: ResolvedCredential;
  readonly model: string;
  readonly stream: StreamingApi;
  /** A monotonic clock in milliseconds (performance.now). */
  readonly now: () => number;
}

/** How much of the reply is shown. */
const REPLY_WORDS = 12;
const REPLY_CHARS = 120;

function firstWords(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const cut = words.slice(0, REPLY_WORDS).join(' ');
  const short = cut.length > REPLY_CHARS ? `${cut.slice(0, REPLY_CHARS - 1)}…` : cut;
  return words.length > REPLY_WORDS && !short.endsWith('…') ? `${short}…` : short;
}

/** Sends the test request and reads the stream to its end; throws AuthError with our codes. */
export async function runModelTest(input: ModelTestInput): Promise<ModelTestView> {
  const { auth, credential, model } = input;
  const { definition } = auth;
  const protocol = modelTestProtocol(definition.id);
  if (protocol === undefined)
    throw AuthError.of('unsupported_method', `The Maestro cannot test ${definition.displayName} models yet.`, {
      provider: definition.id,
    });
  const allowed = planCredentialUse(credential, 'model_test');
  if (!allowed.allowed) throw new AuthError(allowed.error);
  const request = protocol.request(model, { plan: credential.plan !== null });
  const started = input.now();
  let firstToken: number | undefined;
  let text = '';
  let complete = false;
  for await (const event of input.stream.events({
    definition,
    config: auth.config,
    headers: credential.headers,
    secret: credential.secret,
    path: request.path,
    body: request.body,
  })) {
    const reading = protocol.read(event);
    if (reading.kind === 'failed') throw new AuthError(reading.error);
    if (reading.kind === 'text') {
      firstToken ??= input.now() - started;
      if (text.length < 4 * REPLY_CHARS) text += reading.text;
    }
    if (reading.kind === 'done' || (reading.kind === 'text' && reading.done === true)) {
      complete = true;
      break;
    }
  }
  const totalMs = input.now() - started;
  if (!complete) {
    throw AuthError.of(
      'provider_unavailable',
      `${definition.displayName}'s reply stopped before the provider said it was complete, so the test does not count as passed. Try again.`,
      { provider: definition.id, retryable: true },
    );
  }
  return {
    provider: definition.id,
    model,
    source: credential.source,
    method: credential.method,
    account: credential.account,
    plan: credential.plan,
    reply: firstWords(text),
    firstTokenMs: Math.round(firstToken ?? totalMs),
    totalMs: Math.round(totalMs),
  };
}
