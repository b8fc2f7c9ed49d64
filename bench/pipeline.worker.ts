// The pipeline's own overhead: the real run loop, cleaning and IndexedDB writes in a
// worker, with an engine that answers at once (the model is the only thing left out).
import * as Comlink from 'comlink';
import { said, ScriptedEngine } from '../src/engine/scripted/scripted-engine';
import { runPipeline } from '../src/pipeline/run-pipeline';
import { instructionPrompt } from '../src/shared/template';
import { createDataset } from '../src/store/datasets';
import { MagpieDB } from '../src/store/db';
import { createRun } from '../src/store/runs';
import { CHATML, settings } from '../src/test-support/fixtures';

const RESPONSE =
  'Sorting a list in Python: use sorted(xs) for a new list or xs.sort() in place. '.repeat(8);

async function measure(pairs: number, concurrency: number) {
  const db = new MagpieDB(`magpie-bench-${Date.now()}`);
  const ds = await createDataset(db, 'bench');
  const run = await createRun(db, {
    datasetId: ds.id,
    engine: { kind: 'server', baseUrl: 'http://bench', model: 'scripted-model', concurrency },
    model: 'scripted-model',
    template: CHATML,
    settings: settings({ target: pairs }),
  });
  const pre = instructionPrompt(CHATML);
  const engine = new ScriptedEngine(
    (req, call) =>
      req.prompt === pre
        ? said(`Question ${call}: how do I sort a list of ${call} numbers in Python?`)
        : said(RESPONSE),
    { concurrency },
  );
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
  const stored = await db.records.count();
  await db.delete();
  return {
    status: result.status,
    pairs: stored,
    seconds,
    pairsPerSecond: stored / seconds,
    concurrency,
  };
}

const api = { measure };
export type PipelineBench = typeof api;
Comlink.expose(api);
