/**
 * Sign-ins that spend the person's subscription plan (OpenAI's "Sign in with ChatGPT" for
 * open-source apps), as the window, the tray and `status --json` see them. Never a token.
 */

/** ChatGPT's usage settings: the "Manage usage" link OpenAI's guidelines require beside plan usage. */
export const CHATGPT_USAGE_URL = 'https://chatgpt.com/settings/usage';

/** A provider whose OAuth sign-in spends a plan: how to offer it, and whether the credential in use does. */
export interface PlanSignInView {
  /** "ChatGPT plan". */
  readonly planName: string;
  /** "Continue with ChatGPT": the sign-in button's label, as the provider's guidelines require. */
  readonly buttonLabel: string;
  /** Where the person manages the plan's usage ("Manage usage"). */
  readonly manageUsageUrl: string;
  /** The credential the provider uses now spends the plan ("Using ChatGPT plan"). */
  readonly inUse: boolean;
  /** The one-time "You're using your ChatGPT plan" notice has not been acknowledged yet. */
  readonly noticeDue: boolean;
}
