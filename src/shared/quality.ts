/**
 * The quality feature's vocabulary, shared by the page, the generation worker (which runs
 * the judge with its engine) and the dataset worker (near-duplicates, the recipe, the
 * summary). The page reaches them only through `PipelineApi` and `DatasetApi`.
 */
import type { EngineErrorInfo } from './engine';
import type { InputQuality } from './record';
import type { Outcome } from './outcome';

// ---------------------------------------------------------------- near-duplicates

export type DedupMethod = 'text' | 'semantic';

/**
 * Which near-duplicate values a dataset's readers (explorer, recipe, export) see:
 * 'auto' the app's own where a pass computed them, else the file's; 'app' only the app's;
 * 'file' only what an imported file carried.
 */
export type NearDupSource = 'auto' | 'app' | 'file';
export const NEAR_DUP_SOURCE_LABELS: Record<NearDupSource, string> = {
  auto: "this app's where a pass computed them, else the imported file's",
  app: "only this app's",
  file: "only the imported file's",
};

export interface DedupOptions {
  method: DedupMethod;
  /**
   * Two instructions closer than this are duplicates (counted in repeat_count, joined
   * into one cluster). Text: 1 - Jaccard of character 5-grams; semantic: 1 - cosine.
   */
  threshold: number;
  /** WebLLM embedding model for the semantic method. */
  embedModel?: string;
}

export const DEFAULT_TEXT_THRESHOLD = 0.3;
export const DEFAULT_SEMANTIC_THRESHOLD = 0.1;

export interface DedupProgress {
  phase: 'reading' | 'downloading' | 'embedding' | 'comparing' | 'writing';
  done: number;
  total: number;
  /** Download / load text from WebLLM (semantic method). */
  note?: string;
}

export interface DedupResult {
  method: DedupMethod;
  records: number;
  /** Records whose stored fields changed in this pass. */
  updated: number;
  /** Clusters with more than one member. */
  clusters: number;
  /** Records that are not the first of their cluster. */
  duplicates: number;
  ms: number;
}

/** The embedding models the semantic method offers, with what they cost to fetch. */
export interface EmbedModelInfo {
  id: string;
  label: string;
  /** Approximate download (f32 weights, kept in the browser's cache afterwards). */
  downloadMB: number;
  vramMB: number;
}

export const EMBED_MODELS: EmbedModelInfo[] = [
  {
    id: 'snowflake-arctic-embed-s-q0f32-MLC-b4',
    label: 'snowflake-arctic-embed-s (33M parameters)',
    downloadMB: 130,
    vramMB: 239,
  },
  {
    id: 'snowflake-arctic-embed-m-q0f32-MLC-b4',
    label: 'snowflake-arctic-embed-m (110M parameters)',
    downloadMB: 440,
    vramMB: 539,
  },
];

// ---------------------------------------------------------------- judge

export const JUDGE_TASKS = [
  'task_category',
  'input_quality',
  'difficulty',
  'response_score',
] as const;
export type JudgeTask = (typeof JUDGE_TASKS)[number];

export const JUDGE_TASK_LABELS: Record<JudgeTask, string> = {
  task_category: 'Task category',
  input_quality: 'Input quality',
  difficulty: 'Difficulty',
  response_score: 'Response score',
};

export interface JudgeSettings {
  datasetId: string;
  tasks: JudgeTask[];
  /** Try again the tasks stored as tag failures (otherwise they are skipped). */
  retryFailures: boolean;
}

export interface JudgeProgress {
  /** Records this job has to tag (grows if generation adds records meanwhile). */
  total: number;
  /** Records finished (tagged, or with a failure stored). */
  done: number;
  /** Task answers stored as tag failures in this job. */
  failed: number;
  /** Answers that did not parse and were asked again. */
  retried: number;
  perMinute: number;
}

export type JudgeEvent =
  | { type: 'progress'; progress: JudgeProgress }
  | {
      type: 'ended';
      status: 'done' | 'stopped' | 'failed';
      progress: JudgeProgress;
      error?: EngineErrorInfo;
    };

// ---------------------------------------------------------------- recipe

/** The Magpie authors' filter, step by step; null/false turns a step off. */
export interface RecipeSteps {
  /** Keep only these input qualities (the authors: good, excellent). */
  inputQuality: InputQuality[] | null;
  /** Drop instructions ending with ':' (incomplete). */
  dropEndsWithColon: boolean;
  /** Keep only the first member of each near-duplicate cluster. */
  firstOfCluster: boolean;
  /**
   * Keep records whose file-given instruct_reward is above this (the authors: -10). Optional:
   * recipes saved before it existed leave it out.
   */
  minInstructReward?: number | null;
  /** Keep responses the judge scored at least this (0..10). */
  minResponseScore: number | null;
  /** Then keep the N records with the longest responses. */
  topN: number | null;
}

export const MAGPIE_RECIPE: RecipeSteps = {
  inputQuality: ['good', 'excellent'],
  dropEndsWithColon: true,
  firstOfCluster: true,
  minResponseScore: null,
  topN: null,
};

export type RecipeStepId =
  | 'inputQuality'
  | 'dropEndsWithColon'
  | 'firstOfCluster'
  | 'minInstructReward'
  | 'minResponseScore'
  | 'topN';

export interface FunnelStep {
  id: RecipeStepId;
  label: string;
  removed: number;
  /** Of the removed, how many lacked the tag the step reads (not tagged yet). */
  untagged: number;
  remaining: number;
}

export interface Funnel {
  total: number;
  steps: FunnelStep[];
  kept: number;
  /** Review statuses now, so the user sees what applying overwrites. */
  current: { kept: number; rejected: number; unreviewed: number };
}

export interface ApplyResult {
  kept: number;
  rejected: number;
}

// ---------------------------------------------------------------- overview

export interface QualitySummary {
  records: number;
  dedupChecked: number;
  clusters: number;
  duplicates: number;
  /** Per judge task: records with the tag. */
  tagged: Record<JudgeTask, number>;
  /** Records with a stored tag failure. */
  failures: number;
  review: { kept: number; rejected: number; unreviewed: number };
}

/** The dataset worker's quality questions and jobs (part of DatasetApi). */
export interface QualityApi {
  /** One pass over the whole dataset: rebuilds the index and stores every changed field. */
  findDuplicates(
    datasetId: string,
    options: DedupOptions,
    onProgress?: (progress: DedupProgress) => void,
  ): Promise<Outcome<DedupResult>>;
  /** Text method, incremental: index the records stored since the last call. */
  catchUp(datasetId: string): Promise<Outcome<DedupResult | null>>;
  cancelDuplicates(): Promise<void>;
  summary(datasetId: string): Promise<Outcome<QualitySummary>>;
  previewRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<Funnel>>;
  applyRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<ApplyResult>>;
}
