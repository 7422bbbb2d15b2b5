import type { ErrorInfo } from '../../src-shared/errors.js';
import type { ModelListView, ModelTestView, ProviderStatusView, StatusView } from '../../src-shared/view-models.js';

const SOURCE_LABEL = { oauth: 'OAuth', api_key: 'stored API key', env: 'environment' } as const;

/** How many other accounts `status` names per provider before it only counts them. */
const CLI_OTHER_ACCOUNTS = 10;

function expiryText(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return '';
  const minutes = Math.round((Date.parse(expiresAt) - now) / 60_000);
  if (minutes <= 0) return ', expired';
  return minutes < 120 ? `, expires in ${minutes} min` : `, expires in ${Math.round(minutes / 60)} h`;
}

function providerLines(provider: ProviderStatusView, active: boolean, now: number): string[] {
  const marker = active ? '*' : ' ';
  const using =
    provider.source === null
      ? 'not signed in'
      : `${SOURCE_LABEL[provider.source]}${provider.account !== null ? ` (account ${provider.account})` : ''}${provider.maskedKey !== null ? ` ${provider.maskedKey}` : ''}${expiryText(provider.expiresAt, now)}`;
  const lines = [`${marker} ${provider.displayName.padEnd(10)} ${provider.state.padEnd(11)} ${using}`];
  lines.push(
    `    methods: ${provider.availableMethods.join(', ')}${provider.selectedModel !== null ? `   model: ${provider.selectedModel}` : ''}`,
  );
  for (const missing of provider.unavailableMethods) lines.push(`    ${missing.method} unavailable: ${missing.reason}`);
  const others = [
    ...new Set(
      provider.accounts.filter((account) => account.account !== provider.account).map((account) => account.account),
    ),
  ];
  if (others.length > 0) {
    const listed = others.slice(0, CLI_OTHER_ACCOUNTS);
    const more = others.length > listed.length || provider.accountTotal > provider.accounts.length;
    lines.push(
      `    other accounts: ${listed.join(', ')}${more ? `, … (${provider.accountTotal} stored credentials in all)` : ''}`,
    );
  }
  const plans = [
    ...new Set(provider.accounts.filter((account) => account.plan === true).map((account) => account.account)),
  ];
  if (provider.planSignIn !== undefined && plans.length > 0)
    lines.push(
      `    ${provider.planSignIn.planName} sign-ins: ${plans.join(', ')}${provider.planSignIn.inUse ? ` (in use: usage at ${provider.planSignIn.manageUsageUrl})` : ''}`,
    );
  if (provider.lastError !== null) lines.push(`    last error: ${provider.lastError.message}`);
  return lines;
}

/** Overrides are said every time: each one sends credentials to a server other than the provider's own. */
function overrideLines(overrides: StatusView['overrides']): string[] {
  return overrides.map((item) =>
    item.provider === null
      ? `Override: ${item.setting}: ${item.value} (set by ${item.source}).`
      : `Override: ${item.provider} ${item.setting} is ${item.value} (set by ${item.source}); its credentials are sent there.`,
  );
}

/** `the-maestro status` for people. */
export function formatStatus(status: StatusView, now: number): string {
  const lines: string[] = [];
  for (const provider of status.providers)
    lines.push(...providerLines(provider, provider.id === status.activeProvider, now));
  lines.push('', `Storage: ${status.storage.description}`);
  for (const warning of status.storage.warnings) lines.push(`Warning: ${warning}`);
  for (const problem of status.configProblems) lines.push(`Config: ${problem.message}`);
  lines.push(...overrideLines(status.overrides));
  if (status.logFile !== undefined) lines.push(`Log file: ${status.logFile}`);
  return `${lines.join('\n')}\n`;
}

/** `the-maestro models` for people. */
export function formatModels(view: ModelListView): string {
  const width = Math.min(40, Math.max(8, ...view.models.map((model) => model.id.length)));
  const lines = view.models.map((model) => {
    const selected = model.id === view.selectedModel ? '*' : ' ';
    const context = model.contextWindow !== undefined ? `  ${Math.round(model.contextWindow / 1000)}k context` : '';
    return `${selected} ${model.id.padEnd(width)}  ${model.displayName}${context}`;
  });
  if (view.stale)
    lines.push(
      `(cached list from ${view.fetchedAt ?? 'earlier'}; the provider could not be asked${view.error !== null ? `: ${view.error.message}` : ''})`,
    );
  if (view.models.length === 0) lines.push('No models.');
  return `${lines.join('\n')}\n`;
}

/** `the-maestro test` for people: who answered, how fast, and the first words. */
export function formatModelTest(view: ModelTestView): string {
  const who =
    view.source === 'env'
      ? 'an API key from the environment'
      : `${view.method === 'oauth' ? 'the OAuth sign-in' : 'the stored API key'} of account "${view.account ?? ''}"`;
  const plan = view.plan !== null ? ` (${view.plan})` : '';
  return `${view.provider} ${view.model} answered with ${who}${plan}: first token after ${view.firstTokenMs} ms, complete after ${view.totalMs} ms.\n  “${view.reply}”\n`;
}

/** One sentence on stderr, or a JSON object with --json. */
export function formatError(error: ErrorInfo, json: boolean): string {
  return json ? `${JSON.stringify({ error })}\n` : `the-maestro: ${error.message}\n`;
}
