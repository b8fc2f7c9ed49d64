// A bench's generation run: the real pipeline over `run` with `engine`, timed from the
// model's load to the run's end, and the records it stored counted afterwards (outside the
// timing: counting is the bench's check, not the pipeline's work).
import type { Engine, ModelDescription } from '../src/shared/engine';
import type { RunRecord } from '../src/shared/run';
import type { MagpieDB } from '../src/store/db';
import { runPipeline, type PipelineOptions } from '../src/pipeline/run-pipeline';

export interface TimedRunOptions extends Pick<PipelineOptions, 'streamWorthMs' | 'writeEveryMs'> {
  /** The model `engine` already loaded (a bench that reuses one loaded engine); else loaded here. */
  model?: ModelDescription;
  /** A Stop; none by default. */
  signal?: AbortSignal;
}

export async function timedRun(
  db: MagpieDB,
  run: RunRecord,
  engine: Engine,
  { model: loaded, signal, ...variant }: TimedRunOptions = {},
) {
  const model = loaded ?? (await engine.load());
  const started = performance.now();
  const result = await runPipeline({
    db,
    engine,
    model,
    run,
    signal: signal ?? new AbortController().signal,
    onEvent: () => undefined,
    ...variant,
  });
  const seconds = (performance.now() - started) / 1000;
  const stored = await db.records.where('runId').equals(run.id).count();
  return { result, model, seconds, stored };
}
