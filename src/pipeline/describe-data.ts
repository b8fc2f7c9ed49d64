/**
 * "Describe your data": the connected model writes N varied system prompts from one sentence
 * (as Argilla's generator does), in the style of the Magpie authors' control prompts. The user
 * edits them before a run; nothing here is stored.
 */
import { EngineError, type ChatMessage, type Engine } from '../shared/engine';
import { extractJsonObject } from '../shared/json-object';

export const MAX_WRITTEN_PROMPTS = 12;

export function describeDataMessages(description: string, count: number): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You write system prompts for an AI assistant. They are used to generate a synthetic dataset of user requests, so each one must say what the assistant is for and what kind of requests its users will make.',
    },
    {
      role: 'user',
      content:
        `The dataset: ${description.trim()}\n\n` +
        `Write ${count} different system prompts for it. Each is two or three sentences in the style ` +
        `"You are an AI assistant designed to ... The user will ask you ...". Vary the sub-topics, ` +
        `the difficulty and the kind of request between them; keep each self-contained.\n` +
        `Answer with JSON only: {"system_prompts": ["...", "..."]}`,
    },
  ];
}

const SCHEMA = {
  type: 'object',
  properties: { system_prompts: { type: 'array', items: { type: 'string' } } },
  required: ['system_prompts'],
};

/** Reads the model's answer; throws a message a user can act on. */
export function parseWrittenPrompts(answer: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(extractJsonObject(answer));
  } catch (err) {
    throw new Error(`The model's answer is not the JSON asked for (${(err as Error).message}).`);
  }
  const list = (value as { system_prompts?: unknown })?.system_prompts;
  if (!Array.isArray(list)) throw new Error('The model’s answer has no "system_prompts" list.');
  const prompts = [...new Set(list.filter((p): p is string => typeof p === 'string'))]
    .map((p) => p.trim())
    .filter((p) => p.length >= 20);
  if (!prompts.length) throw new Error('The model wrote no usable system prompt.');
  return prompts;
}

export async function writeSystemPrompts(
  engine: Engine,
  description: string,
  count: number,
  signal?: AbortSignal,
): Promise<string[]> {
  if (!description.trim()) throw new Error('Describe the data in a sentence first.');
  if (!engine.chat) {
    throw new EngineError(
      'unknown',
      'The connected engine cannot answer chat requests.',
      'Write the system prompts by hand, or connect an engine with chat completions.',
    );
  }
  const n = Math.max(1, Math.min(MAX_WRITTEN_PROMPTS, Math.round(count)));
  const result = await engine.chat(
    {
      messages: describeDataMessages(description, n),
      // Some variety between the prompts; the JSON shape is enforced where the engine can.
      temperature: 0.7,
      maxTokens: 160 * n + 64,
      jsonSchema: SCHEMA,
    },
    { signal },
  );
  return parseWrittenPrompts(result.text).slice(0, n);
}
