// A bench's generation run: the real pipeline over `run` with `engine`, timed from the
// model's load to the run's end, and the records it stored counted afterwards (outside the
// timing: counting is the bench's check, not the pipeline's work).
import type { Engine } from '../src/shared/engine';
import type { RunRecord } from '../src/shared/run';
import type { MagpieDB } from '../src/store/db';
import { runPipeline } from '../src/pipeline/run-pipeline';

export async function timedRun(db: MagpieDB, run: RunRecord, engine: Engine) {
  const model = await engine.load();
  const started = performance.now();
  const result = await runPipeline({
    db,
    engine,
    model,
    run,
    signal: new AbortController().signal,
    onEvent: () => undefined,
  });
  const seconds = (performance.now() - started) / 1000;
  const stored = await db.records.where('runId').equals(run.id).count();
  return { result, model, seconds, stored };
}
