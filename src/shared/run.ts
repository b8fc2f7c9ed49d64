import type { EngineConfig, EngineErrorInfo, FirstTokenRule } from './engine';
import type { LanguageTarget } from './languages';
import type { WeightedSystemPrompt } from './system-prompts';
import type { PromptTemplate } from './template';

/** Sampling of one step (instruction or response). */
export interface StepSampling {
  temperature: number;
  topP: number;
  maxTokens: number;
  repetitionPenalty: number;
}

export interface RunSettings {
  /** How many pairs the run should end with. */
  target: number;
  instruction: StepSampling;
  response: StepSampling;
  /** Base seed; pair k uses seed + k so a resumed run does not repeat earlier samples. */
  seed: number;
  /** Stop the instruction at its first newline (the authors' "early stopping"). */
  earlyStopNewline: boolean;
  /** Apply the authors' instruction sanitiser (strip "Question:" labels, cut answer markers). */
  sanitize: boolean;
  /** Keep pairs whose response hit max tokens (marked finish 'length') instead of dropping them. */
  keepTruncatedResponses: boolean;
  /** Instructions shorter than this (characters, after cleaning) are dropped. */
  minInstructionChars: number;

  // The method's controls. Optional: runs stored before them have none.
  /** Domain control: one drawn per pair by weight; absent or empty: no system prompt. */
  systemPrompts?: WeightedSystemPrompt[];
  /** Target languages: one drawn per pair by weight; absent or empty: none asked for. */
  languages?: LanguageTarget[];
  /** Drop an instruction whose detected language is not its pair's target. */
  dropLanguageMisses?: boolean;
  /** Whether the response prompt carries the pair's system prompt too (default: it does). */
  systemPromptInResponse?: boolean;
  /** A rule on the instruction's first sampled token, where the engine can apply one. */
  firstToken?: FirstTokenRule | 'none';
  /** Drop instructions that open with a markdown heading (for engines without a first-token rule). */
  dropHeadingFirst?: boolean;
}

/** Why a sampled instruction or response was not stored. */
export const DROP_REASONS = [
  'empty',
  'too-short',
  'instruction-length',
  'leaked-template',
  'self-answer',
  'response-empty',
  'response-length',
  'language-miss',
  'heading-first',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export const DROP_REASON_LABELS: Record<DropReason, string> = {
  empty: 'instruction empty',
  'too-short': 'instruction too short',
  'instruction-length': 'instruction cut by token limit',
  'leaked-template': 'template tokens leaked',
  'self-answer': 'model answered itself',
  'response-empty': 'response empty',
  'response-length': 'response cut by token limit',
  'language-miss': 'instruction not in its target language',
  'heading-first': 'instruction opens with a heading',
};

export type DropCounts = Partial<Record<DropReason, number>>;

export type RunStatus = 'running' | 'stopped' | 'done' | 'failed' | 'interrupted';

/** A run as stored: settings, progress counters and how it ended. */
export interface RunRecord {
  id: string;
  datasetId: string;
  createdAt: number;
  updatedAt: number;
  engine: EngineConfig;
  model: string;
  template: PromptTemplate;
  settings: RunSettings;
  status: RunStatus;
  /** Pairs stored by this run. */
  made: number;
  /** Sample indices handed out so far (made + dropped + abandoned); the next seed offset. */
  attempts: number;
  dropped: DropCounts;
  /** What the method's controls did; absent for runs without them. */
  tally?: RunTally;
  error?: EngineErrorInfo;
}

/** Counts for the live view of a run with system prompts or target languages. */
export interface RunTally {
  /** Stored pairs by the id of the system prompt they were drawn with. */
  bySystemPrompt: Record<string, number>;
  /** Instructions with a target language that were checked, and those detected in it. */
  languageChecked: number;
  languageMatched: number;
}

/** Live figures the worker reports while a run goes. */
export interface RunProgress {
  runId: string;
  made: number;
  target: number;
  dropped: DropCounts;
  /** Completion tokens per second over the last window, both steps. */
  tokensPerS: number;
  pairsPerMin: number;
  /** Seconds left at the current pace; undefined until there is a pace. */
  etaS?: number;
  elapsedS: number;
  /** Requests on the wire now, and samples waiting for a connection (servers). */
  requestsInFlight?: number;
  samplesWaiting?: number;
  /** Samples (instruction and response steps) answered per second over the last window. */
  samplesPerS?: number;
  /** The engine's own speed figures for the last response, where it reports them (WebLLM). */
  decodeTokensPerS?: number;
  timeToFirstTokenMs?: number;
  tally?: RunTally;
}

/** The pair being written now, streamed as it grows. */
export interface LivePair {
  step: 'instruction' | 'response';
  instruction: string;
  response: string;
}

export type RunEvent =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'live'; live: LivePair }
  | { type: 'pair'; uuid: string }
  | { type: 'ended'; status: RunStatus; error?: EngineErrorInfo };
