import { useId } from 'react';

/**
 * "How to get a client id" on Google's card: the Gemini API OAuth quickstart in five steps
 * (https://ai.google.dev/gemini-api/docs/oauth). Open by itself while OAuth is unavailable; a
 * closed disclosure once a client is configured, for reference.
 */
export function GoogleClientHelp({ oauthAvailable }: { readonly oauthAvailable: boolean }) {
  const id = useId();
  return (
    <details className="provider-help client-id-help" open={!oauthAvailable} aria-labelledby={`${id}-summary`}>
      <summary id={`${id}-summary`}>How to get a client id</summary>
      <p>
        Google lets other apps sign you in only with your own OAuth client (not Gemini CLI&apos;s). Make one in the
        Google Cloud console, as in{' '}
        <a href="https://ai.google.dev/gemini-api/docs/oauth" target="_blank" rel="noreferrer">
          the Gemini API OAuth quickstart
        </a>
        :
      </p>
      <ol>
        <li>Choose or create a project and enable the Generative Language API in it.</li>
        <li>
          Google Auth Platform: configure the consent screen with the audience <strong>External</strong>, and add
          yourself as a test user.
        </li>
        <li>
          Google Auth Platform → Clients → Create client, application type <strong>Desktop app</strong>. Copy its client
          id and client secret (a desktop client&apos;s secret is not confidential).
        </li>
        <li>
          Give them to The Maestro and restart it: <code>GOOGLE_OAUTH_CLIENT_ID</code> and{' '}
          <code>GOOGLE_OAUTH_CLIENT_SECRET</code>, or <code>providers.google.oauth.clientId</code> and{' '}
          <code>clientSecret</code> in the config file.
        </li>
        <li>
          Set the project as the quota project, sent as <code>x-goog-user-project</code>: under{' '}
          <strong>Quota project</strong> on this card, <code>GOOGLE_CLOUD_QUOTA_PROJECT</code> (which wins) or{' '}
          <code>providers.google.quotaProject</code>.
        </li>
      </ol>
      <p className="hint">
        While the consent screen is in Testing mode, Google ends a sign-in after 7 days; publish the app (Audience →
        Publish app) to stop that.
      </p>
    </details>
  );
}
