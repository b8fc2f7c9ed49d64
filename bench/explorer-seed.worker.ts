// Seeds the explorer benchmark's dataset: synthetic records with realistic lengths, made
// and stored in this worker in large transactions (the page stays free to measure).
import * as Comlink from 'comlink';
import { syntheticRecords } from '../src/dataset/synthetic';
import { getDb } from '../src/store/db';

const BATCH = 10_000;

async function seed(datasetId: string, count: number, onProgress: (done: number) => void) {
  const db = getDb();
  await db.datasets.put({ id: datasetId, name: 'bench', createdAt: Date.now() });
  const next = syntheticRecords({ datasetId, seed: 1 });
  let chars = 0;
  for (let i = 0; i < count; i += BATCH) {
    const batch = [];
    for (let k = i; k < Math.min(count, i + BATCH); k++) {
      const r = next(k);
      chars += r.instruction.length + r.response.length;
      batch.push(r);
    }
    await db.records.bulkAdd(batch);
    onProgress(Math.min(count, i + BATCH));
  }
  return { chars };
}

const api = { seed };
export type ExplorerSeed = typeof api;
Comlink.expose(api);
