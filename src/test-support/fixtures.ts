/** Builders for records and runs in unit tests: one place, so tests read as behaviour. */
import type { GeneratedRecord } from '../shared/record';
import type { RunSettings } from '../shared/run';
import type { PromptTemplate } from '../shared/template';

export const CHATML: PromptTemplate = {
  family: 'chatml',
  bos: '',
  writeBos: false,
  preQuery: '<|im_start|>user\n',
  postQuery: '<|im_end|>\n<|im_start|>assistant\n',
  instructionStops: ['<|im_end|>', '<|im_start|>', 'assistant'],
  responseStops: ['<|im_end|>', '<|im_start|>'],
};

export function settings(over: Partial<RunSettings> = {}): RunSettings {
  return {
    target: 5,
    instruction: { temperature: 1, topP: 1, maxTokens: 64, repetitionPenalty: 1 },
    response: { temperature: 0.6, topP: 0.9, maxTokens: 128, repetitionPenalty: 1 },
    seed: 0,
    earlyStopNewline: true,
    sanitize: true,
    keepTruncatedResponses: false,
    minInstructionChars: 10,
    ...over,
  };
}

let n = 0;
export function pair(
  datasetId: string,
  runId: string,
  over: Partial<GeneratedRecord> = {},
): GeneratedRecord {
  n += 1;
  const instruction = `Instruction number ${n}?`;
  const response = `Response number ${n}.`;
  const usage = { latencyMs: 1 };
  return {
    uuid: crypto.randomUUID(),
    datasetId,
    runId,
    createdAt: Date.now() + n,
    engine: 'server',
    model: 'test-model',
    gen_input_configs: {
      temperature: 1,
      top_p: 1,
      max_tokens: 64,
      repetition_penalty: 1,
      input_generator: 'test-model',
      seed: n,
      pre_query_template: CHATML.preQuery,
      stop: [],
    },
    gen_response_configs: {
      temperature: 0.6,
      top_p: 0.9,
      max_tokens: 128,
      repetition_penalty: 1,
      seed: n,
      post_query_template: CHATML.postQuery,
      stop: [],
    },
    instruction,
    response,
    conversations: [
      { from: 'human', value: instruction },
      { from: 'gpt', value: response },
    ],
    instruction_length: instruction.length,
    response_length: response.length,
    instructionRaw: instruction,
    finish: { instruction: 'stop', response: 'stop' },
    usage: { instruction: usage, response: usage },
    review: 'unreviewed',
    ...over,
  };
}
