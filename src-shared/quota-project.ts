/**
 * Google's quota project as the window sees and sets it: the value sent as `x-goog-user-project`
 * with a person's OAuth token, and where it comes from. Not a secret.
 */
import * as z from 'zod/mini';

/**
 * A Google Cloud project id (6–30 lowercase letters, digits or hyphens, starting with a letter, not
 * ending with a hyphen) or a project number.
 */
export const QUOTA_PROJECT_PATTERN = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;

export const QUOTA_PROJECT_RULE =
  'must be a Google Cloud project ID (6–30 lowercase letters, digits or hyphens, starting with a letter) or project number';

/** A quota project typed in the window (trimmed), or in the config file. */
export const quotaProjectField = z.string().check(z.trim(), z.regex(QUOTA_PROJECT_PATTERN, QUOTA_PROJECT_RULE));

/** Where the value in use comes from: the environment wins over the window, the window over the file. */
export const QUOTA_PROJECT_SOURCES = ['env', 'window', 'file'] as const;
export type QuotaProjectSource = (typeof QUOTA_PROJECT_SOURCES)[number];

export const quotaProjectViewSchema = z.object({
  provider: z.string(),
  quotaProject: z.nullable(z.string()),
  source: z.nullable(z.enum(QUOTA_PROJECT_SOURCES)),
  /** The environment variable that overrides the window (GOOGLE_CLOUD_QUOTA_PROJECT). */
  envVar: z.string(),
});
export type QuotaProjectView = z.infer<typeof quotaProjectViewSchema>;
