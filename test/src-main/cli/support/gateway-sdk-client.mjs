// A tool as `the-maestro exec --gateway` starts it: each official SDK built without a key or base
// URL, so both come from the environment exec set (Gemini asked for v1beta, as Gemini CLI does:
// the fake serves that version only). Prints what each
// listing returned, never a key. With `env NAME…` it prints those variables instead.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

const [mode = 'sdks', ...names] = process.argv.slice(2);

async function count(provider) {
  switch (provider) {
    case 'anthropic':
      return (await new Anthropic({ maxRetries: 0 }).models.list()).data.length;
    case 'openai':
      return (await new OpenAI({ maxRetries: 0 }).models.list()).data.length;
    default: {
      let models = 0;
      for await (const _model of await new GoogleGenAI({ httpOptions: { apiVersion: 'v1beta' } }).models.list())
        models += 1;
      return models;
    }
  }
}

if (mode === 'env') {
  process.stdout.write(
    `${JSON.stringify(Object.fromEntries(names.map((name) => [name, process.env[name] ?? null])))}\n`,
  );
} else {
  const results = {};
  for (const provider of names) {
    try {
      results[provider] = { models: await count(provider) };
    } catch (error) {
      results[provider] = { error: error instanceof Error ? error.constructor.name : 'error', status: error?.status };
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
