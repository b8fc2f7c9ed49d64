/**
 * What the pipeline worker offers the page, over Comlink. The page imports only this
 * type, never worker modules, so each side type-checks against its own environment.
 */
import type { EngineConfig, EngineErrorInfo, ModelDescription } from './engine';
import type { RunEvent } from './run';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: EngineErrorInfo };

export interface ServerModelList {
  /** Base URL as the engine normalised it (always ends in /v1). */
  baseUrl: string;
  models: string[];
}

export interface PipelineApi {
  /** Ask a completion server which models it serves (GET /v1/models). */
  listServerModels(baseUrl: string, apiKey?: string): Promise<Outcome<ServerModelList>>;
  /** Make `config` the current engine and load its model. */
  connect(config: EngineConfig): Promise<Outcome<ModelDescription>>;
  /**
   * Start or resume the stored run `runId` with the connected engine. Resolves when
   * the run ends; `onEvent` (a Comlink proxy) receives progress on the way.
   */
  run(runId: string, onEvent: (event: RunEvent) => void): Promise<void>;
  /** Stop the current run; finished pairs stay, the pairs in flight are discarded. */
  stop(): Promise<void>;
}

/** Web Lock held by the worker while a run goes; its absence marks a run left behind. */
export const RUN_LOCK_PREFIX = 'magpie-run:';
