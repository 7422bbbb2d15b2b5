/**
 * The one IPC contract between the main process and the window: every channel (`domain.verb`)
 * with its input and output schema, and every push event with its payload schema. The preload
 * (Electron) and the web shim (browser) both build their API from it with `createApiFromInvoker`;
 * main registers a handler for every channel (src-main/ipc). No channel string lives elsewhere.
 */
import * as z from 'zod/mini';
import { commandLineToolViewSchema } from './command-line-tool-schema.js';
import { gatewayPortSchema, gatewayStatusViewSchema } from './gateway-view-schema.js';
import { quotaProjectField, quotaProjectViewSchema } from './quota-project.js';
import {
  accountLabelField,
  apiKeyField,
  fallbackOrderField,
  flowIdField,
  modelIdField,
  passwordStoreField,
  pastedCodeField,
  providerIdField,
  redirectModeField,
  settingsViewSchema,
  storedAuthMethodField,
  themeField,
} from './ipc-fields.js';
import {
  accountPageViewSchema,
  flowFinishedViewSchema,
  loginResultViewSchema,
  logoutViewSchema,
  modelListViewSchema,
  modelTestViewSchema,
  oauthStartViewSchema,
  providerStatusViewSchema,
  errorInfoSchema,
  statusViewSchema,
} from './ipc-schemas.js';

const noInput = z.strictObject({});

const settingsPatch = z
  .strictObject({
    fallbackOrder: z.exactOptional(fallbackOrderField),
    theme: z.exactOptional(themeField),
    closeToTray: z.exactOptional(z.nullable(z.boolean())),
    allowWeakStorage: z.exactOptional(z.boolean()),
    shareWithCommandLine: z.exactOptional(z.boolean()),
    passwordStore: z.exactOptional(passwordStoreField),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, 'must change at least one setting'));

/** Every request/reply channel. Inputs are strict objects: unknown keys (including `__proto__`) are refused. */
export const IPC_CHANNELS = {
  'providers.list': { input: noInput, output: z.readonly(z.array(providerStatusViewSchema)) },
  'auth.saveApiKey': {
    input: z.strictObject({
      provider: providerIdField,
      apiKey: apiKeyField,
      account: z.exactOptional(accountLabelField),
      /** False stores the key unvalidated; the window offers it only when the provider is unreachable. */
      validate: z.exactOptional(z.boolean()),
    }),
    output: loginResultViewSchema,
  },
  'auth.startOAuth': {
    input: z.strictObject({
      provider: providerIdField,
      account: z.exactOptional(accountLabelField),
      redirectMode: z.exactOptional(redirectModeField),
      /** Ask for consent again: how a person (re-)enables plan usage ("Enable ChatGPT plan"). */
      consent: z.exactOptional(z.boolean()),
    }),
    output: oauthStartViewSchema,
  },
  'auth.submitPastedCode': {
    input: z.strictObject({ flowId: flowIdField, pasted: pastedCodeField }),
    output: loginResultViewSchema,
  },
  'auth.cancelOAuth': { input: z.strictObject({ flowId: flowIdField }), output: z.boolean() },
  'auth.logout': {
    input: z.strictObject({
      provider: providerIdField,
      account: z.exactOptional(accountLabelField),
      method: z.exactOptional(storedAuthMethodField),
    }),
    output: logoutViewSchema,
  },
  'auth.validate': {
    input: z.strictObject({ provider: providerIdField, account: z.exactOptional(accountLabelField) }),
    output: providerStatusViewSchema,
  },
  'accounts.rename': {
    input: z.strictObject({ provider: providerIdField, from: accountLabelField, to: accountLabelField }),
    output: providerStatusViewSchema,
  },
  'accounts.list': {
    input: z.strictObject({
      provider: providerIdField,
      offset: z.exactOptional(z.int().check(z.nonnegative(), z.maximum(1_000_000))),
      limit: z.exactOptional(z.int().check(z.positive(), z.maximum(200))),
    }),
    output: accountPageViewSchema,
  },
  'session.get': { input: noInput, output: statusViewSchema },
  'session.setActiveProvider': {
    input: z.strictObject({ provider: providerIdField, account: z.exactOptional(accountLabelField) }),
    output: statusViewSchema,
  },
  'models.list': {
    input: z.strictObject({ provider: providerIdField, refresh: z.exactOptional(z.boolean()) }),
    output: modelListViewSchema,
  },
  'models.select': {
    input: z.strictObject({ provider: providerIdField, model: modelIdField }),
    output: providerStatusViewSchema,
  },
  /** "Test this model": one streamed request with the credential in use (or the account's). */
  'models.test': {
    input: z.strictObject({
      provider: providerIdField,
      model: z.exactOptional(modelIdField),
      account: z.exactOptional(accountLabelField),
    }),
    output: modelTestViewSchema,
  },
  /** The one-time "You're using your ChatGPT plan" notice was dismissed ("Got it"). */
  'plan.acknowledgeNotice': { input: z.strictObject({ provider: providerIdField }), output: providerStatusViewSchema },
  /** The person has read the storage notices ("I have read this"): no window or command repeats them. */
  'storage.acknowledgeNotices': { input: noInput, output: statusViewSchema },
  'settings.get': { input: noInput, output: settingsViewSchema },
  'settings.update': { input: settingsPatch, output: settingsViewSchema },
  'gateway.get': { input: noInput, output: gatewayStatusViewSchema },
  'gateway.setEnabled': { input: z.strictObject({ enabled: z.boolean() }), output: gatewayStatusViewSchema },
  /** The gateway's port (null: any free port), remembered; a running gateway moves to it. */
  'gateway.setPort': {
    input: z.strictObject({ port: z.nullable(gatewayPortSchema) }),
    output: gatewayStatusViewSchema,
  },
  /** Main writes the gateway key to the clipboard: only the request crosses, never the key. */
  'gateway.copyKey': { input: noInput, output: z.strictObject({ copied: z.literal(true) }) },
  /** A new gateway key (clients holding the old one are refused); the window asked the person first. */
  'gateway.rotateKey': { input: z.strictObject({ confirmed: z.literal(true) }), output: gatewayStatusViewSchema },
  /** "Install command-line tool": `the-maestro` on the PATH; the desktop app only. */
  'cli.get': { input: noInput, output: commandLineToolViewSchema },
  'cli.install': { input: noInput, output: commandLineToolViewSchema },
  'cli.uninstall': { input: noInput, output: commandLineToolViewSchema },
  'providers.getQuotaProject': {
    input: z.strictObject({ provider: providerIdField }),
    output: quotaProjectViewSchema,
  },
  'providers.setQuotaProject': {
    input: z.strictObject({ provider: providerIdField, quotaProject: z.nullable(quotaProjectField) }),
    output: quotaProjectViewSchema,
  },
} as const;

/** Push events, main → window. */
export const IPC_EVENTS = {
  'status.changed': statusViewSchema,
  'auth.flowFinished': flowFinishedViewSchema,
} as const;

export type ChannelName = keyof typeof IPC_CHANNELS;
export type EventName = keyof typeof IPC_EVENTS;
export type ChannelInput<C extends ChannelName> = z.input<(typeof IPC_CHANNELS)[C]['input']>;
/** The input after parsing (trimmed strings, defaults applied): what handlers receive. */
export type ParsedChannelInput<C extends ChannelName> = z.output<(typeof IPC_CHANNELS)[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<(typeof IPC_CHANNELS)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof IPC_EVENTS)[E]>;

export const CHANNEL_NAMES = Object.freeze(Object.keys(IPC_CHANNELS) as ChannelName[]);
export const EVENT_NAMES = Object.freeze(Object.keys(IPC_EVENTS) as EventName[]);

export function isChannelName(value: string): value is ChannelName {
  return Object.hasOwn(IPC_CHANNELS, value);
}

export function isEventName(value: string): value is EventName {
  return Object.hasOwn(IPC_EVENTS, value);
}

/** The reply of every channel: a result value, never a thrown error. */
export type IpcResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: z.output<typeof errorInfoSchema> };

/** Schema of a channel's reply (value checked by the channel's output schema). */
export function replySchema<C extends ChannelName>(channel: C) {
  // Annotated so the reply's value keeps this channel's type rather than the union of all outputs.
  const output: (typeof IPC_CHANNELS)[C]['output'] = IPC_CHANNELS[channel].output;
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: output }),
    z.object({ ok: z.literal(false), error: errorInfoSchema }),
  ]);
}

// The typed client API: `api.auth.saveApiKey({ … })`, `api.on('status.changed', …)`.
type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type VerbOf<C extends string, D extends string> = C extends `${D}.${infer V}` ? V : never;
type Domain = DomainOf<ChannelName>;

/** Channels whose input fields are all optional may be called without an argument. */
export type ChannelMethod<C extends ChannelName> =
  Record<string, never> extends ChannelInput<C>
    ? (input?: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;

export type Unsubscribe = () => void;

/** What `window.maestro` is, in Electron (preload) and in a browser (web shim) alike. */
export type MaestroApi = {
  readonly [D in Domain]: { readonly [V in VerbOf<ChannelName, D>]: ChannelMethod<Extract<`${D}.${V}`, ChannelName>> };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
};

/** Sends one request on a channel and resolves with the raw reply (the transport's job). */
export type Invoker = (channel: ChannelName, input: unknown) => Promise<unknown>;
/** Delivers raw event payloads of one event channel until unsubscribed. */
export type Subscriber = (event: EventName, listener: (payload: unknown) => void) => Unsubscribe;

const TRANSPORT_FAILURE = {
  code: 'internal',
  message: 'The Maestro did not answer. Try again; if it keeps happening, restart the app.',
} as const;

/**
 * Builds the frozen `MaestroApi` from the contract over any transport. Replies are checked
 * against the contract (a transport failure or a malformed reply becomes an `internal` error
 * value, never a throw); event payloads that do not match their schema are dropped.
 */
export function createApiFromInvoker(invoke: Invoker, subscribe: Subscriber): MaestroApi {
  const domains: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNEL_NAMES) {
    const [domain = '', verb = ''] = channel.split('.');
    const schema = replySchema(channel);
    const method = async (input?: unknown): Promise<unknown> => {
      try {
        const parsed = schema.safeParse(await invoke(channel, input ?? {}));
        return parsed.success ? parsed.data : { ok: false, error: TRANSPORT_FAILURE };
      } catch {
        return { ok: false, error: TRANSPORT_FAILURE };
      }
    };
    domains[domain] = { ...domains[domain], [verb]: method };
  }
  const on = (event: EventName, listener: (payload: unknown) => void): Unsubscribe => {
    if (!isEventName(event)) throw new TypeError(`Unknown event: ${String(event)}`);
    const schema = IPC_EVENTS[event];
    return subscribe(event, (payload) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data);
    });
  };
  const api: Record<string, unknown> = { on };
  for (const [domain, methods] of Object.entries(domains)) api[domain] = Object.freeze(methods);
  // The shape is built from the same contract the type is derived from; the cast is the only link.
  return Object.freeze(api) as unknown as MaestroApi;
}
