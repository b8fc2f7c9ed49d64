/**
 * Each format's row as its public documentation defines it (zod). The strict `documented`
 * schemas say what an exported row may hold and are what the tests hold exports to; the
 * `readable` schemas are what import accepts: the same core, plus the tags and generation
 * settings a file may carry in Magpie's names (null where a dataset had no value).
 */
import { z } from 'zod';
import { RECORD_FIELDS, type DeclaredRecord, type JsonType } from '../shared/record-schema';
import { FILE_FIELDS, type FileField } from './record-fields';

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
 * gen_input_configs.seed is null in the releases; the app writes its integer seed. An Arrow
 * column may hold null in any row: a field without a value is null, never a missing key.
 */
const magpieInputConfig = z.strictObject({
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  input_generator: z.string().nullable(),
  seed: z.int().nullable(),
  pre_query_template: z.string().nullable(),
});
const magpieCore = {
  uuid: z.string(),
  model: z.string().nullable(),
  gen_input_configs: magpieInputConfig.nullable(),
  instruction: z.string(),
  response: z.string(),
  // The releases hold human and gpt turns; a system turn appears only in a conversation
  // that had one when it was imported (ShareGPT's convention for it).
  conversations: z.array(shareGptTurn),
  task_category: z.string().nullable(),
  other_task_category: z.array(z.string()).nullable(),
  task_category_generator: z.string().nullable(),
  difficulty: z.string().nullable(),
  intent: z.string().nullable(),
  knowledge: z.string().nullable(),
  difficulty_generator: z.string().nullable(),
  input_quality: z.string().nullable(),
  quality_explanation: z.string().nullable(),
  quality_generator: z.string().nullable(),
  llama_guard_2: z.string().nullable(),
  reward_model: z.string().nullable(),
  instruct_reward: z.number().nullable(),
  min_neighbor_distance: z.number().nullable(),
  repeat_count: z.int().nullable(),
  min_similar_uuid: z.string().nullable(),
  instruction_length: z.int(),
  response_length: z.int(),
  language: z.string().nullable(),
};

/** A declared JSON type as a zod check; a file may hold null wherever a value is missing. */
function zodOf(type: JsonType): z.ZodType {
  switch (type.kind) {
    case 'string':
      // A name outside a fixed set is read, then not kept (schemaValue): not a broken row.
      return z.string();
    case 'int':
      return z.int();
    case 'float':
      return z.number();
    case 'bool':
      return z.boolean();
    case 'list':
      return z.array(zodOf(type.of));
    case 'struct':
      return z.object(
        Object.fromEntries(
          Object.entries(type.fields).map(([name, f]) => [name, zodOf(f.type).nullish()]),
        ),
      );
    case 'app':
      return z.unknown();
  }
}

/** What a file may carry besides the conversation: every field the schema lets files carry. */
const metadata = Object.fromEntries(
  FILE_FIELDS.map((name) => [name, zodOf(RECORD_FIELDS[name].type).nullish()]),
) as unknown as { [K in FileField]: z.ZodType<DeclaredRecord[K] | null | undefined> };
/** The extra fields an export adds with the tags and generation-config options. */
const extras = z.object(metadata);

/**
 * TRL's conversational preference format with an explicit prompt: `prompt` the messages
 * before the answer, `chosen` and `rejected` the one assistant message each
 * (huggingface.co/docs/trl/dataset_formats, "preference").
 */
const trlPreferenceCore = {
  prompt: z.array(openAiMessage).min(1),
  chosen: z.array(openAiMessage).length(1),
  rejected: z.array(openAiMessage).length(1),
};

/**
 * The Magpie authors' released DPO sets (Magpie-Pro-DPO-100K-v0.1's dataset_info): their
 * fields, with the scores of a judge (`rewards_judge`, `judge_model`) where the releases
 * have ArmoRM's (`rewards_armorm`).
 */
const magpiePreferenceCore = {
  uuid: z.string(),
  instruction: z.string(),
  gen_input_configs: magpieInputConfig.nullable(),
  intent: z.string().nullable(),
  knowledge: z.string().nullable(),
  difficulty: z.string().nullable(),
  input_quality: z.string().nullable(),
  quality_explanation: z.string().nullable(),
  task_category: z.string().nullable(),
  input_length: z.int(),
  responses: z.array(z.string()).min(2),
  gen_response_configs: z
    .strictObject({ temperature: z.number().nullable(), top_p: z.number().nullable() })
    .nullable(),
  rewards_judge: z.array(z.strictObject({ score: z.number().nullable() })).min(2),
  judge_model: z.string(),
  chosen: z.array(openAiMessage).min(2),
  rejected: z.array(openAiMessage).min(2),
};

export const documented = {
  'trl-preference': z.strictObject(trlPreferenceCore),
  'magpie-preference': z.strictObject(magpiePreferenceCore),
  sharegpt: z.strictObject({ conversations: z.array(shareGptTurn).min(1) }),
  openai: z.strictObject({ messages: z.array(openAiMessage).min(1) }),
  alpaca: z.strictObject(alpacaCore),
  magpie: z.strictObject(magpieCore),
};

/** The documented rows plus the optional extra fields (tags, generation settings). */
export const documentedWithExtras = {
  'trl-preference': z.strictObject({ ...trlPreferenceCore, ...extras.shape }),
  'magpie-preference': z.strictObject({
    ...extras.shape,
    ...magpiePreferenceCore,
    gen_input_configs: metadata.gen_input_configs,
    gen_response_configs: metadata.gen_response_configs,
  }),
  sharegpt: documented.sharegpt.extend(extras.shape),
  openai: documented.openai.extend(extras.shape),
  alpaca: documented.alpaca.extend(extras.shape),
  magpie: z.strictObject({
    ...extras.shape,
    ...magpieCore,
    gen_input_configs: metadata.gen_input_configs,
    gen_response_configs: metadata.gen_response_configs,
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

/** A row's fields besides the conversation, as read: null or absent where the file had no value. */
export type Metadata = { [K in FileField]?: DeclaredRecord[K] | null };

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
