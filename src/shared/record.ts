import type { CompletionUsage, EngineConfig, FinishReason } from './engine';

/**
 * One stored pair. Field names follow Magpie's released datasets where a field
 * exists there (snake_case); what the app adds for curation is camelCase.
 */
export interface PairRecord {
  uuid: string;
  datasetId: string;
  runId: string;
  createdAt: number;
  engine: EngineConfig['kind'];

  model: string;
  gen_input_configs: GenInputConfig;
  gen_response_configs: GenResponseConfig;
  instruction: string;
  response: string;
  conversations: Turn[];
  /** Characters. */
  instruction_length: number;
  response_length: number;

  /** The instruction as the model wrote it, before cleaning. */
  instructionRaw: string;
  finish: { instruction: FinishReason; response: FinishReason };
  usage: { instruction: StepUsage; response: StepUsage };
  review: ReviewStatus;
}

export type ReviewStatus = 'unreviewed' | 'kept' | 'rejected';

export interface Turn {
  from: 'system' | 'human' | 'gpt';
  value: string;
}

export interface GenInputConfig {
  temperature: number;
  top_p: number;
  max_tokens: number;
  repetition_penalty: number;
  input_generator: string;
  seed: number;
  pre_query_template: string;
  stop: string[];
}

export interface GenResponseConfig {
  temperature: number;
  top_p: number;
  max_tokens: number;
  repetition_penalty: number;
  seed: number;
  post_query_template: string;
  stop: string[];
}

/** What the engine measured for one step. */
export type StepUsage = CompletionUsage;

export interface Dataset {
  id: string;
  name: string;
  createdAt: number;
}
