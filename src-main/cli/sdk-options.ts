import type { ResolvedCredential } from '../core/auth-service.js';

/**
 * Options for the provider's official SDK, ready to spread into its constructor
 * (`new Anthropic(json.sdk.options)`), or null with the reason that SDK cannot take this
 * credential. Base URLs follow each SDK's convention: OpenAI's ends in `/v1`, the others are the
 * bare origin (their SDKs add the version path).
 */
export type SdkOptions =
  | { readonly package: string; readonly options: Readonly<Record<string, unknown>>; readonly reason?: undefined }
  | { readonly package: string; readonly options: null; readonly reason: string };

const SDK_PACKAGE: Readonly<Record<string, string>> = {
  anthropic: '@anthropic-ai/sdk',
  openai: 'openai',
  google: '@google/genai',
};

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The SDK options for a resolved credential; null when the provider has no official SDK here. */
export function sdkOptionsFor(credential: ResolvedCredential): SdkOptions | null {
  const pkg = SDK_PACKAGE[credential.provider];
  if (pkg === undefined) return null;
  const byKey = credential.method !== 'oauth';
  const base = trimmed(credential.apiBaseUrl);
  switch (credential.provider) {
    case 'anthropic':
      return byKey
        ? {
            package: pkg,
            // The key goes in x-api-key, the header Anthropic documents for keys: recent SDKs send
            // `apiKey` as a bearer token instead. apiKey and authToken null stop the SDK adding
            // ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN from the environment as a second credential.
            options: {
              apiKey: null,
              authToken: null,
              baseURL: base,
              defaultHeaders: { 'x-api-key': credential.secret },
            },
          }
        : {
            package: pkg,
            // apiKey null stops the SDK reading ANTHROPIC_API_KEY and sending a second credential.
            options: {
              apiKey: null,
              authToken: credential.secret,
              baseURL: base,
              defaultHeaders: betaHeader(credential),
            },
          };
    case 'openai':
      return { package: pkg, options: { apiKey: credential.secret, baseURL: `${base}/v1` } };
    case 'google':
      return byKey
        ? // v1beta: the version The Maestro itself calls (and Google's own examples use).
          { package: pkg, options: { apiKey: credential.secret, httpOptions: { baseUrl: base, apiVersion: 'v1beta' } } }
        : {
            package: pkg,
            options: null,
            reason:
              '@google/genai sends whatever it is given as an API key (x-goog-api-key), which Google refuses for an OAuth access token: send the `headers` above yourself, or use a Google API key (`the-maestro exec` passes it as GEMINI_API_KEY).',
          };
    default:
      return null;
  }
}

function betaHeader(credential: ResolvedCredential): Record<string, string> {
  const beta = credential.headers['anthropic-beta'];
  return beta !== undefined ? { 'anthropic-beta': beta } : {};
}
