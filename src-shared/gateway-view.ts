import * as z from 'zod/mini';

/** One provider's gateway counters: requests served and the last error (never a key or a body). */
export interface GatewayProviderView {
  readonly requests: number;
  readonly lastError: { readonly status: number; readonly message: string; readonly at: number } | null;
}

/** What the window and `status` show of the local gateway: never the gateway key. */
export interface GatewayStatusView {
  readonly enabled: boolean;
  /** The port it listens on while enabled; null while off. */
  readonly port: number | null;
  readonly url: string | null;
  readonly providers: {
    readonly anthropic: GatewayProviderView;
    readonly openai: GatewayProviderView;
    readonly google: GatewayProviderView;
  } | null;
}

const providerViewSchema = z.object({
  requests: z.number(),
  lastError: z.nullable(z.object({ status: z.number(), message: z.string(), at: z.number() })),
});

export const gatewayStatusViewSchema = z.object({
  enabled: z.boolean(),
  port: z.nullable(z.number()),
  url: z.nullable(z.string()),
  providers: z.nullable(
    z.object({ anthropic: providerViewSchema, openai: providerViewSchema, google: providerViewSchema }),
  ),
}) satisfies z.ZodMiniType<GatewayStatusView>;
