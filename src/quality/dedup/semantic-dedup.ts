/**
 * The semantic method: one pass over a dataset with a WebLLM embedding model. Same
 * bookkeeping as the text method (NeighbourIndex), with cosine instead of Jaccard. Each
 * distinct instruction is embedded once. Not incremental: new pairs are checked with the
 * text method as they arrive, and this pass can be run again.
 */
import { shownText } from '../../shared/filter';
import type { DedupOptions, DedupProgress, DedupResult } from '../../shared/quality';
import { changeClock, type MagpieDB } from '../../store/db';
import { countRecords } from '../../store/records';
import { scanDataset } from '../../store/record-chunks';
import type { Embedder } from './embedder';
import { EmbeddingStore } from './embedding-store';
import { normalise } from './minhash';
import { NeighbourIndex } from './neighbour-index';
import {
  sameFields,
  storedFields,
  writeFields,
  type FieldChange,
  type StoredFields,
} from './store-fields';

interface Row {
  uuid: string;
  createdAt: number;
  key: string;
  stored: StoredFields | undefined;
}

export type LoadEmbedder = (
  modelId: string,
  onProgress: (text: string, fraction: number) => void,
  signal?: AbortSignal,
) => Promise<Embedder>;

const EMBED_CHUNK = 256;

export async function semanticPass(
  db: MagpieDB,
  datasetId: string,
  options: DedupOptions,
  load: LoadEmbedder,
  signal: AbortSignal,
  onProgress: (p: DedupProgress) => void,
): Promise<DedupResult | null> {
  const started = performance.now();
  const seen = { since: await changeClock(db) };
  const total = await countRecords(db, datasetId);
  const rows: Row[] = [];
  const textOf = new Map<string, string>();
  await scanDataset(
    db,
    datasetId,
    (page) => {
      for (const r of page) {
        const instruction = shownText(r).instruction;
        const key = normalise(instruction);
        if (!textOf.has(key)) textOf.set(key, instruction);
        rows.push({ uuid: r.uuid, createdAt: r.createdAt, key, stored: storedFields(r) });
      }
      onProgress({ phase: 'reading', done: rows.length, total });
    },
    { signal, nearDup: 'app' },
  );
  if (signal.aborted) return null;

  const model = options.embedModel ?? '';
  onProgress({ phase: 'downloading', done: 0, total: 1, note: `Loading ${model}…` });
  const embedder = await load(
    model,
    (text, fraction) => onProgress({ phase: 'downloading', done: fraction, total: 1, note: text }),
    signal,
  );
  const vectors = new Map<string, Float32Array>();
  try {
    const keys = [...textOf.keys()];
    for (let i = 0; i < keys.length; i += EMBED_CHUNK) {
      const part = keys.slice(i, i + EMBED_CHUNK);
      const embedded = await embedder.embed(
        part.map((k) => textOf.get(k) as string),
        signal,
      );
      part.forEach((k, j) => vectors.set(k, embedded[j] as Float32Array));
      onProgress({ phase: 'embedding', done: vectors.size, total: keys.length });
    }
  } finally {
    await embedder.dispose();
  }
  if (signal.aborted) return null;

  const dim = vectors.values().next().value?.length ?? 1;
  const index = new NeighbourIndex(new EmbeddingStore(dim), options.threshold);
  for (const row of rows) {
    index.add(row.uuid, row.createdAt, row.key, () => vectors.get(row.key) as Float32Array);
  }
  const changes: FieldChange[] = [];
  for (const doc of index.takeDirty()) {
    const fields = index.fields(doc);
    if (!sameFields(fields, rows[doc]?.stored, 'semantic'))
      changes.push({ uuid: index.uuidOf(doc), recordAt: index.createdAtOf(doc), fields });
  }
  await writeFields(
    db,
    datasetId,
    'semantic',
    changes,
    (done, all) => onProgress({ phase: 'writing', done, total: all }),
    seen,
  );
  return {
    method: 'semantic',
    records: index.size,
    updated: changes.length,
    ...index.counts(),
    ms: Math.round(performance.now() - started),
  };
}
