import * as z from 'zod/mini';
import type { CommandLineToolView } from './command-line-tool-view.js';

/** The contract's schema of a CommandLineToolView. */
export const commandLineToolViewSchema = z.object({
  state: z.enum(['not_installed', 'installed', 'outdated', 'not_ours']),
  file: z.string(),
  directory: z.string(),
  onPath: z.boolean(),
  pathAdvice: z.nullable(z.string()),
}) satisfies z.ZodMiniType<CommandLineToolView>;
