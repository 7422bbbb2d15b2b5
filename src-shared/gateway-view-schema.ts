// The gateway view's schemas (the IPC contract's `gateway.*` outputs, the preference's port); the
// types and constants are in gateway-view.ts.
import * as z from 'zod/mini';
import { GATEWAY_PORT_MAX, GATEWAY_PORT_MIN, GATEWAY_PORT_SOURCES, type GatewayStatusView } from './gateway-view.js';

const providerViewSchema = z.object({
  requests: z.number(),
  lastError: z.nullable(z.object({ status: z.number(), message: z.string(), at: z.number() })),
});

export const gatewayStatusViewSchema = z.object({
  enabled: z.boolean(),
  port: z.nullable(z.number()),
  configuredPort: z.nullable(z.number()),
  portSource: z.enum(GATEWAY_PORT_SOURCES),
  url: z.nullable(z.string()),
  providers: z.nullable(
    z.object({ anthropic: providerViewSchema, openai: providerViewSchema, google: providerViewSchema }),
  ),
}) satisfies z.ZodMiniType<GatewayStatusView>;

/** A chosen port, checked: an integer in GATEWAY_PORT_MIN…GATEWAY_PORT_MAX. */
export const gatewayPortSchema = z.int().check(z.gte(GATEWAY_PORT_MIN), z.lte(GATEWAY_PORT_MAX));
