/**
 * OpenAI's model list carries no display name and no context window (docs/providers.md), so
 * The Maestro keeps a small table of the current chat models for display. Unknown ids are shown
 * as they are; the table only makes known ones nicer, it never hides a model.
 */

/** Display facts about one known model. */
export interface KnownModel {
  readonly displayName: string;
  readonly contextWindow: number;
  readonly outputTokenLimit: number;
}

const GPT5 = { contextWindow: 400_000, outputTokenLimit: 128_000 } as const;
const GPT41 = { contextWindow: 1_047_576, outputTokenLimit: 32_768 } as const;
const GPT4O = { contextWindow: 128_000, outputTokenLimit: 16_384 } as const;
const REASONING = { contextWindow: 200_000, outputTokenLimit: 100_000 } as const;

/** Known OpenAI chat models by id (a Map, so an id like `__proto__` is just an unknown id). */
export const KNOWN_OPENAI_MODELS: ReadonlyMap<string, KnownModel> = new Map<string, KnownModel>([
  ['gpt-5.1', { displayName: 'GPT-5.1', ...GPT5 }],
  ['gpt-5', { displayName: 'GPT-5', ...GPT5 }],
  ['gpt-5-mini', { displayName: 'GPT-5 mini', ...GPT5 }],
  ['gpt-5-nano', { displayName: 'GPT-5 nano', ...GPT5 }],
  ['gpt-5-chat-latest', { displayName: 'GPT-5 Chat', ...GPT4O }],
  ['gpt-4.1', { displayName: 'GPT-4.1', ...GPT41 }],
  ['gpt-4.1-mini', { displayName: 'GPT-4.1 mini', ...GPT41 }],
  ['gpt-4.1-nano', { displayName: 'GPT-4.1 nano', ...GPT41 }],
  ['gpt-4o', { displayName: 'GPT-4o', ...GPT4O }],
  ['gpt-4o-mini', { displayName: 'GPT-4o mini', ...GPT4O }],
  ['chatgpt-4o-latest', { displayName: 'ChatGPT-4o', ...GPT4O }],
  ['o3', { displayName: 'o3', ...REASONING }],
  ['o3-pro', { displayName: 'o3-pro', ...REASONING }],
  ['o3-mini', { displayName: 'o3-mini', ...REASONING }],
  ['o4-mini', { displayName: 'o4-mini', ...REASONING }],
  ['o1', { displayName: 'o1', ...REASONING }],
  ['gpt-4-turbo', { displayName: 'GPT-4 Turbo', contextWindow: 128_000, outputTokenLimit: 4_096 }],
  ['gpt-3.5-turbo', { displayName: 'GPT-3.5 Turbo', contextWindow: 16_385, outputTokenLimit: 4_096 }],
]);

/** Dated snapshots (`gpt-4o-2024-08-06`) share their family's facts. */
const SNAPSHOT_SUFFIX = /^(.+)-(\d{4}-\d{2}-\d{2})$/;

/** Display name and limits for an OpenAI model id; unknown ids display as themselves. */
export function describeOpenAiModel(id: string): {
  displayName: string;
  contextWindow?: number;
  outputTokenLimit?: number;
} {
  const known = KNOWN_OPENAI_MODELS.get(id);
  if (known !== undefined) return { ...known };
  const snapshot = SNAPSHOT_SUFFIX.exec(id);
  const family = snapshot?.[1] !== undefined ? KNOWN_OPENAI_MODELS.get(snapshot[1]) : undefined;
  if (family !== undefined && snapshot?.[2] !== undefined) {
    return { ...family, displayName: `${family.displayName} (${snapshot[2]})` };
  }
  return { displayName: id };
}

/**
 * Model ids that cannot chat: embeddings, speech, transcription, images, moderation, realtime and
 * audio-only models, and the legacy completion-only base models.
 */
const NOT_CHAT = [
  /embedding/,
  /(^|-)tts(-|$)/,
  /whisper/,
  /transcribe/,
  /dall-e/,
  /(^|-)image(-|$)/,
  /moderation/,
  /realtime/,
  /(^|-)audio(-|$)/,
  /^sora/,
  /^(davinci|babbage)(-|$)/,
];

/** True when an OpenAI model id looks like a chat-capable model. */
export function isOpenAiChatModel(id: string): boolean {
  const lower = id.toLowerCase();
  return !NOT_CHAT.some((pattern) => pattern.test(lower));
}
