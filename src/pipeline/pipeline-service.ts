/**
 * The generation worker's engine and runs: it owns the current engine and at most one
 * running generation, and lends the engine to other jobs of this worker (the judge) while
 * refusing to switch models under them. Kept free of Comlink so tests drive it directly;
 * pipeline.worker.ts composes it with the judge into PipelineApi.
 */
import {
  EngineError,
  toErrorInfo,
  type Engine,
  type EngineConfig,
  type ModelDescription,
} from '../shared/engine';
import type { InstructionGate } from '../shared/near-duplicates';
import { runShape, type RunEvent } from '../shared/run';
import { outcome, type Outcome } from '../shared/outcome';
import { RUN_LOCK_PREFIX, type PipelineApi, type ServerModelList } from '../shared/worker-api';
import { getDb, type MagpieDB } from '../store/db';
import { getRun, updateRun } from '../store/runs';
import { createEngine, type EngineHooks } from '../engine/create-engine';
import { listServerModels } from '../engine/server/models';
import type { LoadProgress } from '../shared/load-progress';
import { ggufModelId, type GgufCachedModel, type GgufInfo } from '../shared/gguf';
import { deleteManifest } from '../shared/webllm-cache';
import { writeSystemPrompts } from './describe-data';
import { withDerivedTemplate } from './model-template';
import { runPipeline } from './run-pipeline';

/** The connected engine as lent to a job of this worker. */
export interface EngineLease {
  engine: Engine;
  model: ModelDescription;
  /** Give the engine back: models can be switched again. */
  release(): void;
}

export class PipelineService implements Omit<PipelineApi, 'judge' | 'stopJudge'> {
  private engine?: Engine;
  private model?: ModelDescription;
  private stopper?: AbortController;
  /** Jobs holding the engine besides the run (the judge), by what they are doing. */
  private readonly leases = new Set<string>();

  constructor(
    private readonly db: MagpieDB = getDb(),
    private readonly makeEngine: (
      config: EngineConfig,
      hooks: EngineHooks,
    ) => Promise<Engine> = createEngine,
    /**
     * The near-duplicate check before answering, for a dataset: composed by the worker's
     * entry (the index is the quality feature's); none where it is not given.
     */
    private readonly gateFor?: (datasetId: string, signal: AbortSignal) => InstructionGate,
  ) {}

  private loading?: AbortController;

  deleteBrowserModel(modelId: string): Promise<Outcome<void>> {
    return outcome(async () => {
      if (this.model?.engine === 'webllm' && this.model.id === modelId) {
        throw new EngineError(
          'unknown',
          `${modelId} is loaded.`,
          'Load another model or reload the page first.',
        );
      }
      const { deleteModelAllInfoInCache, prebuiltAppConfig } = await import('@mlc-ai/web-llm');
      await deleteModelAllInfoInCache(modelId);
      const record = prebuiltAppConfig.model_list.find((m) => m.model_id === modelId);
      if (record) await deleteManifest(record);
    });
  }

  inspectGguf(files: File[]): Promise<Outcome<GgufInfo>> {
    return outcome(async () => (await import('../engine/wllama/inspect')).inspectGguf(files));
  }

  ggufModels(): Promise<Outcome<GgufCachedModel[]>> {
    return outcome(async () => (await import('../engine/wllama/model-cache')).cachedGgufModels());
  }

  deleteGgufModel(url: string): Promise<Outcome<void>> {
    return outcome(async () => {
      if (this.model?.engine === 'wllama' && this.model.id === ggufModelId(url)) {
        throw new EngineError(
          'unknown',
          `${this.model.id} is loaded.`,
          'Load another model or reload the page first.',
        );
      }
      await (await import('../engine/wllama/model-cache')).deleteGgufModel(url);
    });
  }

  async cancelConnect(): Promise<void> {
    this.loading?.abort();
  }

  listServerModels(baseUrl: string, apiKey?: string): Promise<Outcome<ServerModelList>> {
    return outcome(() => listServerModels(baseUrl, apiKey));
  }

  connect(
    config: EngineConfig,
    onLoadProgress?: (progress: LoadProgress) => void,
  ): Promise<Outcome<ModelDescription>> {
    return outcome(async () => {
      const busy = this.stopper ? 'A run is in progress.' : [...this.leases][0];
      if (busy) throw new EngineError('unknown', busy, 'Stop it before switching models.');
      this.loading?.abort();
      const loading = new AbortController();
      this.loading = loading;
      // One model at a time: a browser model holds GPU memory until disposed.
      await this.engine?.dispose();
      this.engine = undefined;
      this.model = undefined;
      const engine = await this.makeEngine(config, { onLoadProgress });
      let model: ModelDescription;
      try {
        model = await engine.load(loading.signal);
      } catch (err) {
        await engine.dispose().catch(() => undefined);
        throw err;
      } finally {
        if (this.loading === loading) this.loading = undefined;
      }
      this.engine = engine;
      this.model = withDerivedTemplate(model);
      return this.model;
    });
  }

  async run(runId: string, onEvent: (event: RunEvent) => void): Promise<void> {
    const ended = (status: RunEvent & { type: 'ended' }) => onEvent(status);
    const { engine, model } = this;
    if (!engine || !model) {
      return ended({
        type: 'ended',
        status: 'failed',
        error: {
          code: 'unknown',
          message: 'No model is connected.',
          hint: 'Connect a model, then press Generate.',
        },
      });
    }
    if (this.stopper) {
      return ended({
        type: 'ended',
        status: 'failed',
        error: {
          code: 'unknown',
          message: 'A run is already in progress in this tab.',
          hint: 'Stop it first.',
        },
      });
    }
    const stopper = new AbortController();
    this.stopper = stopper;
    try {
      await withRunLock(runId, async (held) => {
        const run = await getRun(this.db, runId);
        if (!held || !run) {
          const message = run
            ? 'This run is going on in another tab.'
            : 'This run no longer exists.';
          return ended({
            type: 'ended',
            status: 'failed',
            error: {
              code: 'unknown',
              message,
              hint: 'Open the tab that runs it, or start a new run.',
            },
          });
        }
        if (run.model !== model.id) {
          const error = {
            code: 'unknown' as const,
            message: `This run was made with ${run.model}, but ${model.id} is connected.`,
            hint: `Connect ${run.model} to resume it, or start a new run.`,
          };
          return ended({ type: 'ended', status: 'failed', error });
        }
        const shape = runShape(run.settings);
        if (shape.mode === 'preference' && !engine.chat) {
          const error = {
            code: 'unknown' as const,
            message: `A preference run needs the model as judge, and ${model.id} cannot answer chat requests here.`,
            hint: 'Connect a completion server with /v1/chat/completions, or make plain pairs.',
          };
          return ended({ type: 'ended', status: 'failed', error });
        }
        if (shape.turns > 1 && !run.template.chat) {
          const error = {
            code: 'unknown' as const,
            message: `The template “${run.template.family}” was edited by hand, so it renders only a first turn: a ${shape.turns}-turn run needs the model’s chat template.`,
            hint: 'Pick the model’s template family again, or make single-turn pairs.',
          };
          return ended({ type: 'ended', status: 'failed', error });
        }
        const gate = shape.nearDuplicateCheck
          ? this.gateFor?.(run.datasetId, stopper.signal)
          : undefined;
        await updateRun(this.db, runId, { status: 'running', error: undefined });
        const result = await runPipeline({
          gate,
          db: this.db,
          engine,
          model,
          run,
          signal: stopper.signal,
          onEvent,
        });
        await updateRun(this.db, runId, { status: result.status, error: result.error });
        ended({ type: 'ended', status: result.status, error: result.error });
      });
    } catch (err) {
      const error = toErrorInfo(err);
      await updateRun(this.db, runId, { status: 'failed', error }).catch(() => undefined);
      ended({ type: 'ended', status: 'failed', error });
    } finally {
      this.stopper = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopper?.abort();
  }

  /**
   * Lends the connected engine to a job of this worker; undefined when none is connected.
   * `doing` is what the job does, told to a user who tries to switch models meanwhile.
   */
  lease(doing: string): EngineLease | undefined {
    const { engine, model } = this;
    if (!engine || !model) return undefined;
    this.leases.add(doing);
    return { engine, model, release: () => this.leases.delete(doing) };
  }

  writeSystemPrompts(description: string, count: number): Promise<Outcome<string[]>> {
    return outcome(async () => {
      if (!this.engine) throw new Error('Connect a model first: it writes the system prompts.');
      return writeSystemPrompts(this.engine, description, count);
    });
  }
}

/**
 * Holds a Web Lock named after the run while it goes, so another tab (or this tab
 * after a reload) can tell a live run from one a closed tab left behind.
 */
async function withRunLock(runId: string, work: (held: boolean) => Promise<void>): Promise<void> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (!locks) return work(true);
  await locks.request(RUN_LOCK_PREFIX + runId, { ifAvailable: true }, (lock) =>
    work(lock !== null),
  );
}
