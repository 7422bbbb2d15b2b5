import { readFileSync } from 'node:fs';
import type * as z from 'zod/mini';
import type { CredentialSource } from '../../src-shared/auth-types.js';
import { DEFAULT_FALLBACK_ORDER } from '../../src-shared/auth-types.js';
import type { ProviderDefinition } from '../core/providers/definition.js';
import { OAUTH_FIELDS, PROVIDER_FIELDS, TOP_FIELDS } from './config-schema.js';
import type { ResolvedConfig, ResolvedProviderConfig } from './config-types.js';
import { ProblemList } from './config-values.js';
import { resolveProviderConfig } from './resolve-provider.js';
import { insecureLoopbackOverride, providerOverrides } from './overrides.js';
import type { EndpointOverrideView } from '../../src-shared/view-models.js';
// Problems quote zod's messages: they must be English, as with classic zod.
import '../zod-english.js';

export const DEFAULT_DEEP_LINK_SCHEME = 'app.themaestro.desktop';
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface LoadConfigOptions {
  readonly file: string;
  readonly definitions: readonly ProviderDefinition[];
  readonly env: NodeJS.ProcessEnv;
}

type FieldSchemas = Readonly<Record<string, z.ZodMiniType>>;

/**
 * Parses each known field of `raw` on its own: a bad field is reported (naming the file and the
 * field) and left out, the rest is kept. Unknown fields are reported as likely typos.
 */
export function pickFields(
  raw: unknown,
  schemas: FieldSchemas,
  where: string,
  problems: ProblemList,
  provider?: string,
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  if (raw === undefined) return picked;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.add(where, 'must be an object', provider);
    return picked;
  }
  for (const [key, value] of Object.entries(raw)) {
    const schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined;
    if (schema === undefined) {
      problems.add(`${where}.${key}`, 'is not a known setting and was ignored', provider);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) picked[key] = parsed.data;
    else
      problems.add(
        `${where}.${key}`,
        `${parsed.error.issues[0]?.message ?? 'is invalid'}; the default is used`,
        provider,
      );
  }
  return picked;
}

function readConfigFile(file: string, problems: ProblemList): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    problems.add(file, `could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); defaults are used`);
    return {};
  }
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    problems.add(file, `is not valid JSON (${(error as Error).message}); defaults are used for every provider`);
    return {};
  }
}

/**
 * Reads the configuration: definition defaults, overlaid with the file, overlaid with the
 * environment. Never throws for a person's mistake: every problem is collected and reported,
 * and only the field concerned falls back to its default.
 */
export function loadConfig(options: LoadConfigOptions): ResolvedConfig {
  const problems = new ProblemList();
  const raw = readConfigFile(options.file, problems);
  const top = pickFields(raw, TOP_FIELDS, options.file, problems);
  const sections = (top['providers'] ?? {}) as Record<string, unknown>;
  const known = new Set(options.definitions.map((definition) => definition.id));
  for (const id of Object.keys(sections)) {
    if (!known.has(id))
      problems.add(`${options.file}: providers.${id}`, `is not a known provider (known: ${[...known].join(', ')})`);
  }
  const defaultTimeout = (top['requestTimeoutMs'] as number | undefined) ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const deepLinkScheme = readDeepLinkScheme(top, options.env, problems);
  const providers = new Map<string, ResolvedProviderConfig>();
  const overrides: EndpointOverrideView[] = [];
  for (const definition of options.definitions) {
    const where = `${options.file}: providers.${definition.id}`;
    const section = pickFields(sections[definition.id], PROVIDER_FIELDS, where, problems, definition.id);
    const oauth = pickFields(section['oauth'], OAUTH_FIELDS, `${where}.oauth`, problems, definition.id);
    const resolved = resolveProviderConfig({
      definition,
      section,
      oauth,
      env: options.env,
      problems,
      where,
      defaultTimeout,
      deepLinkScheme,
    });
    providers.set(definition.id, resolved);
    overrides.push(...providerOverrides({ definition, resolved, section, oauth, env: options.env, where }));
  }
  return {
    file: options.file,
    providers,
    fallbackOrder: (top['fallbackOrder'] as CredentialSource[] | undefined) ?? DEFAULT_FALLBACK_ORDER,
    deepLinkScheme,
    problems: problems.items,
    overrides: [...overrides, ...insecureLoopbackOverride(options.env)],
  };
}

/**
 * The deep-link scheme the configuration asks for (THE_MAESTRO_DEEP_LINK_SCHEME, then
 * `deepLinkScheme` in the file, else the default), read before anything else so the app
 * registers with the OS the very scheme its redirect addresses use. Problems are reported later,
 * when the whole configuration is loaded.
 */
export function configuredDeepLinkScheme(file: string, env: NodeJS.ProcessEnv): string {
  const problems = new ProblemList();
  return readDeepLinkScheme(pickFields(readConfigFile(file, problems), TOP_FIELDS, file, problems), env, problems);
}

function readDeepLinkScheme(top: Record<string, unknown>, env: NodeJS.ProcessEnv, problems: ProblemList): string {
  const fromEnv = env['THE_MAESTRO_DEEP_LINK_SCHEME'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = TOP_FIELDS.deepLinkScheme.safeParse(fromEnv);
    if (parsed.success) return parsed.data;
    problems.add(
      'THE_MAESTRO_DEEP_LINK_SCHEME',
      `${parsed.error.issues[0]?.message ?? 'is invalid'}; the default is used`,
    );
  }
  return (top['deepLinkScheme'] as string | undefined) ?? DEFAULT_DEEP_LINK_SCHEME;
}
