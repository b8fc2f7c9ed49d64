/**
 * What the pipeline worker offers the page, over Comlink. The page imports only this
 * type, never worker modules, so each side type-checks against its own environment.
 */
import type { EngineConfig, ModelDescription } from './engine';
import type { LoadProgress } from './load-progress';
import type { GgufCachedModel, GgufInfo } from './gguf';
import type { Outcome } from './outcome';
import type { JudgeEvent, JudgeSettings } from './quality';
import type { RunEvent } from './run';

export interface ServerModelList {
  /** Base URL as the engine normalised it (always ends in /v1). */
  baseUrl: string;
  models: string[];
}

export interface PipelineApi {
  /** Ask a completion server which models it serves (GET /v1/models). */
  listServerModels(baseUrl: string, apiKey?: string): Promise<Outcome<ServerModelList>>;
  /** Delete a downloaded browser model's files. */
  deleteBrowserModel(modelId: string): Promise<Outcome<void>>;
  /** What a GGUF file (or its splits) is, from its header alone. */
  inspectGguf(files: File[]): Promise<Outcome<GgufInfo>>;
  /** GGUF models downloaded from a URL and kept in the browser. */
  ggufModels(): Promise<Outcome<GgufCachedModel[]>>;
  /** Delete a downloaded GGUF model. */
  deleteGgufModel(url: string): Promise<Outcome<void>>;
  /**
   * Make `config` the current engine and load its model; `onLoadProgress` (a Comlink
   * proxy) follows a browser model's download / cache / shader phases.
   */
  connect(
    config: EngineConfig,
    onLoadProgress?: (progress: LoadProgress) => void,
  ): Promise<Outcome<ModelDescription>>;
  /** Cancel a connect() still loading; what was downloaded stays cached. */
  cancelConnect(): Promise<void>;
  /**
   * Start or resume the stored run `runId` with the connected engine. Resolves when
   * the run ends; `onEvent` (a Comlink proxy) receives progress on the way.
   */
  run(runId: string, onEvent: (event: RunEvent) => void): Promise<void>;
  /** Stop the current run; finished pairs stay, the pairs in flight are discarded. */
  stop(): Promise<void>;
  /**
   * Tag the dataset's untagged records with the connected model as judge. Resolves when
   * the job ends; `onEvent` (a Comlink proxy) receives progress, then 'ended'. Can run
   * while a generation runs.
   */
  judge(settings: JudgeSettings, onEvent: (event: JudgeEvent) => void): Promise<void>;
  /** Stop the judge; records judged so far keep their tags. */
  stopJudge(): Promise<void>;
  /**
   * "Describe your data": the connected model (a chat call) writes `count` varied system
   * prompts from a one-sentence description, for the user to edit before a run.
   */
  writeSystemPrompts(description: string, count: number): Promise<Outcome<string[]>>;
}

/** Web Lock held by the worker while a run goes; its absence marks a run left behind. */
export const RUN_LOCK_PREFIX = 'magpie-run:';
