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
  /** What each sample makes; absent in runs stored before modes existed: 'pairs'. */
  mode?: RunMode;
  /** User turns per conversation in 'pairs' mode, 1-5; absent: 1. */
  turns?: number;
  /** Sampling of a preference run's responses; absent: DEFAULT_PREFERENCE. */
  preference?: PreferenceSettings;
  /**
   * Check each new instruction against the dataset's near-duplicates before paying for
   * its response; absent: on.
   */
  nearDuplicateCheck?: boolean;
}

/**
 * 'pairs': an instruction and its answer (over 1-5 turns). 'preference': an instruction,
 * k sampled answers scored by the judge, the best chosen and the worst rejected.
 */
export type RunMode = 'pairs' | 'preference';

export interface PreferenceSettings {
  /** Responses sampled per instruction, each with its own seed. */
  responses: number;
  temperature: number;
  topP: number;
}

/** The authors' preference recipe (gen_po_multi_res.py): 5 responses at 0.8 / 1.0. */
export const DEFAULT_PREFERENCE: PreferenceSettings = { responses: 5, temperature: 0.8, topP: 1 };

export const MAX_TURNS = 5;

/** A run's shape with the defaults filled in, for runs stored before these settings. */
export function runShape(s: RunSettings): {
  mode: RunMode;
  turns: number;
  preference: PreferenceSettings;
  nearDuplicateCheck: boolean;
} {
  const mode = s.mode ?? 'pairs';
  return {
    mode,
    // A preference record is one instruction with k answers: one turn.
    turns: mode === 'preference' ? 1 : Math.min(MAX_TURNS, Math.max(1, Math.round(s.turns ?? 1))),
    preference: s.preference ?? DEFAULT_PREFERENCE,
    nearDuplicateCheck: s.nearDuplicateCheck ?? true,
  };
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
  'near-duplicate',
  'preference-tie',
  'preference-unscored',
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
  'near-duplicate': 'near-duplicate before answer',
  'preference-tie': 'preference: every response scored the same',
  'preference-unscored': 'preference: fewer than 2 responses usable and scored',
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
  /** Completion tokens this run spent, every step and the judge, kept or dropped. */
  tokens?: number;
  /**
   * Conversations dropped at turn 2 or later (also counted under the turn's reason): a
   * conversation is stored with every turn asked for, or not at all.
   */
  laterTurnDrops?: number;
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
  /** Completion tokens spent (every step, kept or dropped) per stored record, whole run. */
  tokensPerKept?: number;
  /** Conversations dropped at turn 2 or later (see RunRecord.laterTurnDrops). */
  laterTurnDrops?: number;
  /** The engine's own speed figures for the last response, where it reports them (WebLLM). */
  decodeTokensPerS?: number;
  timeToFirstTokenMs?: number;
  tally?: RunTally;
}

/** The pair being written now, streamed as it grows. */
export interface LivePair {
  step: 'instruction' | 'response' | 'judge';
  /** Which turn (from 1) a multi-turn conversation is at, or which of k responses. */
  turn?: number;
  instruction: string;
  response: string;
}

export type RunEvent =
  | { type: 'progress'; progress: RunProgress }
  | { type: 'live'; live: LivePair }
  | { type: 'pair'; uuid: string }
  | { type: 'ended'; status: RunStatus; error?: EngineErrorInfo };
