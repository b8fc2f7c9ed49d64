/**
 * The map worker's API (MapApi): computes a dataset's map (read instructions, embed, fit
 * and place, label, store) and places records added later. Long loops call a checkpoint
 * that yields to the event loop every few tens of ms, so `stop` is heard and progress
 * reaches the page; a stop leaves the stored map as it was.
 */
import { toErrorInfo } from '../shared/engine';
import { shownText } from '../shared/filter';
import type {
  MapApi,
  MapComputed,
  MapComputeOptions,
  MapPlaced,
  MapProgress,
} from '../shared/map-api';
import type { Outcome } from '../shared/outcome';
import { DB_NAME, MagpieDB, changeClock } from '../store/db';
import { recordChunks } from '../store/record-chunks';
import { recordsChangedSince } from '../store/records';
import { embedTexts } from './embed-texts';
import { labelRegions } from './labels';
import {
  layoutUuids,
  type MapLayoutRow,
  type MapModelRow,
  type MapOverlayRow,
} from '../store/map-layout-format';
import { DIMS, LexicalModel } from './lexical';
import { NeighbourSearch, place, project, type Checkpoint } from './project';
import { layoutStamp } from './layout-stamp';
import { placeOverlay } from './overlay';
import { embedSemantic } from './semantic';

const YIELD_EVERY_MS = 40;
const REPORT_EVERY_MS = 150;
/** Changes stamped this long before the watermark are looked at again (clock skew between contexts). */
const WATERMARK_MARGIN_MS = 5_000;

class Stopped extends Error {
  constructor() {
    super('Stopped; the stored map is unchanged.');
  }
}

export class MapService implements MapApi {
  private db: MagpieDB | undefined;
  private dbName = DB_NAME;
  private stopping = false;

  private database(): MagpieDB {
    this.db ??= new MagpieDB(this.dbName);
    return this.db;
  }

  async useDatabase(name: string): Promise<void> {
    this.db?.close();
    this.db = undefined;
    this.dbName = name;
  }

  async stop(): Promise<void> {
    this.stopping = true;
  }

  private checkpoint(onProgress: (p: MapProgress) => void): Checkpoint {
    this.stopping = false;
    let lastYield = performance.now();
    let lastReport = 0;
    let lastPhase = '';
    return async (p) => {
      const now = performance.now();
      if (p.phase !== lastPhase || now - lastReport > REPORT_EVERY_MS) {
        lastPhase = p.phase;
        lastReport = now;
        onProgress(p);
      }
      if (now - lastYield > YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = performance.now();
      }
      if (this.stopping) throw new Stopped();
    };
  }

  async compute(
    datasetId: string,
    options: MapComputeOptions,
    onProgress: (p: MapProgress) => void,
  ): Promise<Outcome<MapComputed>> {
    const started = performance.now();
    const checkpoint = this.checkpoint(onProgress);
    try {
      const db = this.database();
      const watermark = await changeClock(db);
      const { uuids, texts } = await readInstructions(db, datasetId, checkpoint);
      let vectors: Float32Array;
      let dims = DIMS;
      let text: LexicalModel | undefined;
      if (options.method === 'semantic') {
        if (!options.embedModel) throw new Error('Choose an embedding model first.');
        ({ vectors, dims } = await embedSemantic(options.embedModel, texts, checkpoint));
      } else {
        ({ model: text, vectors } = await embedTexts(texts, options.seed, checkpoint));
      }
      const { xy, anchors } = await project(vectors, dims, { seed: options.seed }, checkpoint);
      await checkpoint({ phase: 'label', done: 0, total: 1 });
      const labels = labelRegions(xy, (i) => texts[i]!, options.seed);
      await checkpoint({ phase: 'save', done: 0, total: 1 });
      const layout: MapLayoutRow = {
        datasetId,
        method: options.method,
        seed: options.seed,
        ...(options.embedModel && options.method === 'semantic' && { modelId: options.embedModel }),
        version: Date.now(),
        watermark,
        uuids: uuids.join('\n'),
        xy,
        placedLater: 0,
        labels,
        computedAt: Date.now(),
      };
      const model: MapModelRow = {
        datasetId,
        method: options.method,
        ...(text && { df: text.df, docs: text.docs }),
        anchors,
      };
      await db.transaction('rw', db.mapLayouts, db.mapModels, async () => {
        await db.mapLayouts.put(layout);
        await db.mapModels.put(model);
      });
      return {
        ok: true,
        value: {
          points: uuids.length,
          tookMs: performance.now() - started,
          layoutStamp: layoutStamp(layout),
        },
      };
    } catch (err) {
      return failed(err);
    }
  }

  async placeNew(datasetId: string): Promise<Outcome<MapPlaced>> {
    const checkpoint = this.checkpoint(() => undefined);
    try {
      const db = this.database();
      const [layout, model] = await Promise.all([
        db.mapLayouts.get(datasetId),
        db.mapModels.get(datasetId),
      ]);
      if (!layout || !model) return { ok: true, value: { placed: 0, layoutStamp: 0 } };
      const watermark = await changeClock(db);
      const known = new Set(layoutUuids(layout));
      // Rows and packed records alike (an import into a dataset already on the map).
      const fresh = (
        await recordsChangedSince(db, datasetId, layout.watermark - WATERMARK_MARGIN_MS)
      ).filter((r) => !known.has(r.uuid));
      if (!fresh.length)
        return { ok: true, value: { placed: 0, layoutStamp: layoutStamp(layout) } };
      const texts = fresh.map((r) => shownText(r).instruction);
      const vectors = await embedLike(layout, model, texts, checkpoint);
      const xy = new Float32Array(texts.length * 2);
      const search = new NeighbourSearch(model.anchors, 8);
      for (let i = 0; i < texts.length; i++) {
        place(model.anchors, search, vectors, i, xy, i);
        if (i % 500 === 0) await checkpoint({ phase: 'place', done: i, total: texts.length });
      }
      const merged = new Float32Array(layout.xy.length + xy.length);
      merged.set(layout.xy);
      merged.set(xy, layout.xy.length);
      const added = fresh.map((r) => r.uuid).join('\n');
      const stamp = await db.transaction('rw', db.mapLayouts, async () => {
        const now = await db.mapLayouts.get(datasetId);
        if (now?.version !== layout.version) throw new Error('The map changed meanwhile.');
        // From `now`: another dataset placed on this map meanwhile stays.
        const next: MapLayoutRow = {
          ...now,
          uuids: layout.uuids ? `${layout.uuids}\n${added}` : added,
          xy: merged,
          placedLater: layout.placedLater + fresh.length,
          version: Math.max(Date.now(), layout.version + 1),
          watermark,
        };
        await db.mapLayouts.put(next);
        return layoutStamp(next);
      });
      return { ok: true, value: { placed: fresh.length, layoutStamp: stamp } };
    } catch (err) {
      return failed(err);
    }
  }

  async overlay(
    datasetId: string,
    otherId: string,
    onProgress: (p: MapProgress) => void,
  ): Promise<Outcome<MapComputed>> {
    const started = performance.now();
    const checkpoint = this.checkpoint(onProgress);
    try {
      if (otherId === datasetId) throw new Error('Choose another dataset to compare with.');
      const db = this.database();
      const [layout, model] = await Promise.all([
        db.mapLayouts.get(datasetId),
        db.mapModels.get(datasetId),
      ]);
      if (!layout || !model) throw new Error('Compute this dataset’s map first.');
      const { uuids, texts } = await readInstructions(db, otherId, checkpoint);
      if (!uuids.length) throw new Error('That dataset has no records to compare with.');
      const vectors = await embedLike(layout, model, texts, checkpoint);
      const { xy, novel } = await placeOverlay(model.anchors, vectors, layout.seed, checkpoint);
      await checkpoint({ phase: 'label', done: 0, total: 1 });
      const islands = [...novel.keys()].filter((i) => novel[i]);
      const islandXy = new Float32Array(islands.length * 2);
      islands.forEach((i, j) => islandXy.set(xy.subarray(2 * i, 2 * i + 2), 2 * j));
      const labels = labelRegions(islandXy, (j) => texts[islands[j]!]!, layout.seed);
      await checkpoint({ phase: 'save', done: 0, total: 1 });
      const row: MapOverlayRow = {
        datasetId: otherId,
        uuids: uuids.join('\n'),
        xy,
        novel: islands.length,
        labels,
        computedAt: Date.now(),
      };
      const stamp = await db.transaction('rw', db.mapLayouts, db.datasets, async () => {
        const now = await db.mapLayouts.get(datasetId);
        // Placed against this fit: a recompute meanwhile made them meaningless.
        if (now?.computedAt !== layout.computedAt) throw new Error('The map changed meanwhile.');
        if (!(await db.datasets.get(otherId)))
          throw new Error('That dataset was deleted meanwhile.');
        const overlays = (now.overlays ?? []).filter((o) => o.datasetId !== otherId);
        const next = { ...now, overlays: [...overlays, row] };
        await db.mapLayouts.put(next);
        return layoutStamp(next);
      });
      return {
        ok: true,
        value: { points: uuids.length, tookMs: performance.now() - started, layoutStamp: stamp },
      };
    } catch (err) {
      return failed(err);
    }
  }
}

/**
 * Every record's uuid and shown instruction, in the store's order. Raw: an edit is the
 * record's own, and nothing a derived row holds changes a shown text.
 */
async function readInstructions(db: MagpieDB, datasetId: string, checkpoint: Checkpoint) {
  const uuids: string[] = [];
  const texts: string[] = [];
  for await (const chunk of recordChunks(db, datasetId, 2000, -Infinity, { raw: true })) {
    for (const r of chunk) {
      uuids.push(r.uuid);
      texts.push(shownText(r).instruction);
    }
    await checkpoint({ phase: 'read', done: uuids.length, total: 0 });
  }
  return { uuids, texts };
}

/** Embeddings of `texts` in the space the map was fitted in (its model, its document frequencies). */
async function embedLike(
  layout: MapLayoutRow,
  model: MapModelRow,
  texts: readonly string[],
  checkpoint: Checkpoint,
): Promise<Float32Array> {
  if (model.method === 'semantic') {
    if (!layout.modelId) throw new Error('This map does not say which model made it.');
    return (await embedSemantic(layout.modelId, texts, checkpoint)).vectors;
  }
  const { dims } = model.anchors;
  const lexical = new LexicalModel(model.df, model.docs);
  const vectors = new Float32Array(texts.length * dims);
  for (let i = 0; i < texts.length; i++) {
    lexical.embed(texts[i]!, vectors, i * dims);
    if (i % 1000 === 0) await checkpoint({ phase: 'embed', done: i, total: texts.length });
  }
  return vectors;
}

function failed(err: unknown): { ok: false; error: ReturnType<typeof toErrorInfo> } {
  if (err instanceof Stopped)
    return { ok: false, error: { code: 'aborted', message: err.message, hint: '' } };
  return { ok: false, error: toErrorInfo(err) };
}
