import { START_ADDRESS_TTL_MS, startOneTimeRedirect } from '../core/oauth/one-time-redirect.js';

/** Names the browser must not inherit: our master key and settings, provider keys, and anything that names a secret. */
const SECRET_NAME =
  /^THE_MAESTRO_|^(ANTHROPIC|OPENAI|GEMINI|GOOGLE|AZURE|AWS|GCP|GITHUB)_|API_?KEY|SECRET|TOKEN|PASSWORD|PASSWD|CREDENTIAL|PRIVATE/i;

/** The environment a launched browser gets: ours without THE_MAESTRO_MASTER_KEY, provider keys or other secrets. */
export function browserEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !SECRET_NAME.test(name)));
}

/**
 * Opens the system browser on an https (or loopback http) URL the core built; never throws.
 * The launcher receives a one-time local address, not the URL itself (which carries the flow's
 * state), and a cleaned environment. child_process is loaded only by the commands that need it.
 */
export async function openBrowser(url: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!/^https?:\/\//.test(url)) return false;
  let start: string;
  try {
    start = (await startOneTimeRedirect(url, { timeoutMs: START_ADDRESS_TTL_MS })).url;
  } catch {
    return false;
  }
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [start]]
      : process.platform === 'win32'
        ? ['rundll32', ['url.dll,FileProtocolHandler', start]]
        : ['xdg-open', [start]];
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env: browserEnvironment(env) });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
