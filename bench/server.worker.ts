// The server engine's throughput: the real run loop, batcher, HTTP and IndexedDB writes in
// a worker, against a local OpenAI-compatible test server with a fixed latency.
import * as Comlink from 'comlink';
import { ServerEngine } from '../src/engine/server/server-engine';
import { DEFAULT_BATCH_SIZE, DEFAULT_CONNECTIONS } from '../src/shared/engine';
import { defaultSettingsFor } from '../src/shared/templates/families';
import { createDataset } from '../src/store/datasets';
import { MagpieDB } from '../src/store/db';
import { createRun } from '../src/store/runs';
import { CHATML } from '../src/test-support/fixtures';
import { timedRun } from './timed-run';

const BENCH_MODEL = 'bench/model'; // as bench/run.mjs serves it

async function measure(baseUrl: string, pairs: number) {
  const db = new MagpieDB(`magpie-bench-server-${Date.now()}`);
  const ds = await createDataset(db, 'bench');
  // The app's defaults: connections and batch size as the settings start, run settings per family.
  const config = {
    kind: 'server' as const,
    baseUrl,
    model: BENCH_MODEL,
    concurrency: DEFAULT_CONNECTIONS,
    batchSize: DEFAULT_BATCH_SIZE,
  };
  const run = await createRun(db, {
    datasetId: ds.id,
    engine: config,
    model: BENCH_MODEL,
    template: CHATML,
    settings: { ...defaultSettingsFor(CHATML.family), target: pairs },
  });
  const engine = new ServerEngine(config);
  const { result, model, seconds, stored } = await timedRun(db, run, engine);
  await engine.dispose();
  await db.delete();
  if (result.status !== 'done') throw new Error(`run ${result.status}: ${result.error?.message}`);
  return {
    pairs: stored,
    seconds,
    pairsPerSecond: stored / seconds,
    connections: model.connections ?? model.concurrency,
    batchSize: model.batching?.batchSize ?? 1,
    batched: (model.batching?.batchSize ?? 1) > 1,
  };
}

const api = { measure };
export type ServerBench = typeof api;
Comlink.expose(api);
