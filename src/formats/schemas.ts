/**
 * Each format's row as its public documentation defines it (zod). The strict `documented`
 * schemas say what an exported row may hold and are what the tests hold exports to; the
 * `readable` schemas are what import accepts: the same core, plus the tags and generation
 * settings a file may carry in Magpie's names (null where a dataset had no value).
 */
import { z } from 'zod';

// ShareGPT as Axolotl, LLaMA-Factory and FastChat read it: conversations of from / value.
const shareGptTurn = z.strictObject({
  from: z.enum(['system', 'human', 'gpt']),
  value: z.string(),
});

// OpenAI's chat fine-tuning format, which TRL calls "conversational": messages of role / content.
const openAiMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

// Stanford Alpaca (alpaca_data.json) has instruction / input / output; LLaMA-Factory's
// Alpaca reader adds an optional system prompt.
const alpacaCore = {
  instruction: z.string(),
  input: z.string(),
  output: z.string(),
  system: z.string().optional(),
};

/**
 * Magpie's released datasets, from their cards' dataset_info: the field list and types.
 * gen_input_configs.seed is null in the releases; the app writes its integer seed.
 */
const magpieInputConfig = z.strictObject({
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  input_generator: z.string().optional(),
  seed: z.int().nullable().optional(),
  pre_query_template: z.string().optional(),
});
const magpieCore = {
  uuid: z.string(),
  model: z.string().optional(),
  gen_input_configs: magpieInputConfig.optional(),
  instruction: z.string(),
  response: z.string(),
  // The releases hold human and gpt turns; a system turn appears only in a conversation
  // that had one when it was imported (ShareGPT's convention for it).
  conversations: z.array(shareGptTurn),
  task_category: z.string().optional(),
  other_task_category: z.array(z.string()).optional(),
  task_category_generator: z.string().optional(),
  difficulty: z.string().optional(),
  intent: z.string().optional(),
  knowledge: z.string().optional(),
  difficulty_generator: z.string().optional(),
  input_quality: z.string().optional(),
  quality_explanation: z.string().optional(),
  quality_generator: z.string().optional(),
  llama_guard_2: z.string().optional(),
  reward_model: z.string().optional(),
  instruct_reward: z.number().optional(),
  min_neighbor_distance: z.number().optional(),
  repeat_count: z.int().optional(),
  min_similar_uuid: z.string().nullable().optional(),
  instruction_length: z.int(),
  response_length: z.int(),
  language: z.string().optional(),
};

/** What a file may carry besides the conversation: Magpie's names, then the app's own. */
const inputConfig = z.object({
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  max_tokens: z.int().nullish(),
  repetition_penalty: z.number().nullish(),
  input_generator: z.string().nullish(),
  seed: z.int().nullish(),
  pre_query_template: z.string().nullish(),
  stop: z.array(z.string()).nullish(),
});
const responseConfig = z.object({
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  max_tokens: z.int().nullish(),
  repetition_penalty: z.number().nullish(),
  seed: z.int().nullish(),
  post_query_template: z.string().nullish(),
  stop: z.array(z.string()).nullish(),
});
const metadata = {
  uuid: z.string().nullish(),
  model: z.string().nullish(),
  gen_input_configs: inputConfig.nullish(),
  gen_response_configs: responseConfig.nullish(),
  task_category: z.string().nullish(),
  other_task_category: z.array(z.string()).nullish(),
  task_category_generator: z.string().nullish(),
  difficulty: z.string().nullish(),
  intent: z.string().nullish(),
  knowledge: z.string().nullish(),
  difficulty_generator: z.string().nullish(),
  input_quality: z.string().nullish(),
  quality_explanation: z.string().nullish(),
  quality_generator: z.string().nullish(),
  min_neighbor_distance: z.number().nullish(),
  repeat_count: z.int().nullish(),
  min_similar_uuid: z.string().nullish(),
  language: z.string().nullish(),
  review: z.string().nullish(),
  response_score: z.number().nullish(),
  response_score_reason: z.string().nullish(),
  response_score_generator: z.string().nullish(),
  incomplete: z.boolean().nullish(),
  leaked_template: z.boolean().nullish(),
  response_repetition: z.number().nullish(),
};
/** The extra fields an export adds with the tags and generation-config options. */
const extras = z.object(metadata);

export const documented = {
  sharegpt: z.strictObject({ conversations: z.array(shareGptTurn).min(1) }),
  openai: z.strictObject({ messages: z.array(openAiMessage).min(1) }),
  alpaca: z.strictObject(alpacaCore),
  magpie: z.strictObject(magpieCore),
};

/** The documented rows plus the optional extra fields (tags, generation settings). */
export const documentedWithExtras = {
  sharegpt: documented.sharegpt.extend(extras.shape),
  openai: documented.openai.extend(extras.shape),
  alpaca: documented.alpaca.extend(extras.shape),
  magpie: z.strictObject({
    ...extras.shape,
    ...magpieCore,
    gen_input_configs: inputConfig.optional(),
    gen_response_configs: responseConfig.optional(),
  }),
};

/** What import accepts for each format (unknown fields are ignored). */
export const readable = {
  magpie: z.object({
    ...metadata,
    instruction: z.string(),
    response: z.string(),
    conversations: z
      .array(z.object({ from: shareGptTurn.shape.from, value: z.string() }))
      .nullish(),
  }),
  sharegpt: z.object({
    ...metadata,
    conversations: z.array(z.object({ from: shareGptTurn.shape.from, value: z.string() })),
  }),
  openai: z.object({
    ...metadata,
    messages: z.array(z.object({ role: openAiMessage.shape.role, content: z.string() })),
  }),
  alpaca: z.object({
    ...metadata,
    instruction: z.string(),
    input: z.string().nullish(),
    output: z.string(),
    system: z.string().nullish(),
    // LLaMA-Factory's Alpaca reader: earlier turns as [instruction, response] pairs.
    history: z.array(z.tuple([z.string(), z.string()])).nullish(),
  }),
};

export type ReadableRow<F extends keyof typeof readable> = z.infer<(typeof readable)[F]>;
export type Metadata = z.infer<z.ZodObject<typeof metadata>>;

/** A zod issue in words: where in the row, and what is wrong there. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'wrong shape';
  const where = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`))
    .join('');
  const what = /received undefined$/.test(issue.message) ? 'missing' : issue.message;
  return where ? `${where}: ${what}` : what;
}
