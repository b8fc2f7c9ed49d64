// The dataset engine of issue 15 at N records, with the app's own code: the import job, the
// dataset worker's services (ExplorerService + QualityService, as dataset.worker.ts composes
// them), the export job. Everything runs in this worker, as the app runs it off the page.
import * as Comlink from 'comlink';
import { ExplorerService } from '../src/dataset/explorer-service';
import { syntheticRecords } from '../src/dataset/synthetic';
import { exportDataset } from '../src/formats/export-job';
import { fileRows, fileText, layoutOf } from '../src/formats/file-rows';
import { openSink, type SinkOptions } from '../src/formats/export-sink';
import { importFile } from '../src/formats/import-job';
import { recordChunks } from '../src/store/record-chunks';
import { tagPool } from '../src/formats/tag-pool';
import { rowJson, toRow } from '../src/formats/to-row';
import { QualityService } from '../src/quality/quality-service';
import { DEFAULT_SORT } from '../src/shared/explorer-api';
import { MAGPIE_RECIPE } from '../src/shared/quality';
import type { PairRecord } from '../src/shared/record';
import type { ExportSelection } from '../src/shared/transfer-api';
import { Dexie } from 'dexie';
import { MagpieDB, SCHEMA_V7 } from '../src/store/db';
import { DatasetDerived } from '../src/store/derived';
import { PackedStates, datasetDerivedPacks } from '../src/store/derived-packs';
import { datasetPacks, makePack, storePacks } from '../src/store/packs';
import { deleteDatasetRecords } from '../src/store/records';

export const BENCH_DB = 'magpie-bench-engine';
const db = new MagpieDB(BENCH_DB);
const explorer = new ExplorerService();
// Each phase is a page load of its own: the services answer from the bench's database.
await explorer.useDatabase(BENCH_DB);
const quality = new QualityService(db, explorer);
const MB = 1 << 20;

const seconds = (since: number) => (performance.now() - since) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
/**
 * Marks a stretch for the runner, which prints its CPU by thread (bench/cpu.mjs): the cost
 * to every thread of the browser (the IndexedDB backend's, the IO threads'), not only this one's.
 */
const cpu = {
  start: (name: string) => console.info(`bench-cpu: start ${name}`),
  end: (name: string, count: number, unit: string) =>
    console.info(`bench-cpu: end ${name} ${count} ${unit}`),
  /**
   * Waits until the runner has read the threads' times for an end mark (it reads them when
   * the console line reaches it): a worker closed before that takes its time with it.
   */
  read: () => new Promise((resolve) => setTimeout(resolve, 1000)),
};
const MAGPIE = {
  format: 'magpie',
  tags: true,
  genConfig: true,
  systemPrompt: false,
  text: 'edited',
} as const;

function unwrap<T>(out: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!out.ok) throw new Error(out.error.message);
  return out.value;
}

/** A Magpie-format file of n synthetic pairs, as a release looks (some with the authors' reward). */
function makeFile(n: number): File {
  const make = syntheticRecords({ datasetId: 'file', seed: 3 });
  // Blobs of 5,000 lines, so a 1.2 GB file is not held as JS strings meanwhile.
  const parts: Blob[] = [];
  let lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const r: PairRecord = { ...make(i), instruct_reward: (i % 50) - 20 };
    const out = toRow(r, MAGPIE);
    if (out.ok) lines.push(rowJson(out.row));
    if (lines.length === 5000) {
      parts.push(new Blob([lines.join('\n') + '\n']));
      lines = [];
    }
  }
  if (lines.length) parts.push(new Blob([lines.join('\n') + '\n']));
  return new File(parts, 'bench.magpie.jsonl');
}

async function importRows(n: number) {
  await explorer.useDatabase(BENCH_DB);
  const file = makeFile(n);
  const tagger = tagPool();
  const started = performance.now();
  cpu.start('import');
  try {
    const report = await importFile(
      db,
      { file, format: 'magpie', target: { kind: 'new', name: 'bench import' } },
      {
        importId: `bench-${Date.now()}`,
        signal: new AbortController().signal,
        onProgress: () => undefined,
        tagger,
      },
    );
    const took = seconds(started);
    cpu.end('import', report.imported + report.duplicates, 'row');
    await cpu.read();
    return { ...report, seconds: took, mb: file.size / MB };
  } finally {
    tagger.close();
  }
}

/** IndexedDB's own pace for whole records in this schema (a sample): the ceiling for an import. */
async function storeBaseline(n: number) {
  const make = syntheticRecords({ datasetId: 'store-alone', seed: 5 });
  const batch: PairRecord[] = [];
  for (let i = 0; i < n; i++) batch.push(make(i));
  let started = performance.now();
  for (let i = 0; i < n; i += 2000) await db.records.bulkAdd(batch.slice(i, i + 2000));
  const s = seconds(started);
  await db.records.where('datasetId').equals('store-alone').delete();
  // The same records as the import stores them: packs of 1,000, JSON lines.
  const packed = batch.map((r) => ({ ...r, datasetId: 'packs-alone' }));
  started = performance.now();
  cpu.start('packs-made-and-stored');
  await storePacks(db, packed);
  const packS = seconds(started);
  cpu.end('packs-made-and-stored', n, 'row');
  await deleteDatasetRecords(db, 'packs-alone');
  return { rows: n / s, packs: n / packS, ...(await uuidIndexBaseline(packed)) };
}

/**
 * What the multi-entry `*uuids` index (an index entry per record) costs a pack's write:
 * the same packs written bare (no change feed) into a body table with it and one without,
 * alternating, twice each; the packs are made beforehand (making them is timed apart).
 */
async function uuidIndexBaseline(records: PairRecord[]) {
  const bare = new Dexie(`${BENCH_DB}-bare`);
  bare.version(1).stores({
    recordPacks: SCHEMA_V7.recordPacks,
    packBodies: SCHEMA_V7.packBodies,
    packBodiesUnindexed: 'id',
  });
  let started = performance.now();
  const made: ReturnType<typeof makePack>[] = [];
  for (let i = 0; i < records.length; i += 1000) made.push(makePack(records.slice(i, i + 1000)));
  const makeSeconds = seconds(started);
  const time = { packBodies: 0, packBodiesUnindexed: 0 };
  for (let round = 0; round < 2; round++)
    for (const table of ['packBodies', 'packBodiesUnindexed'] as const) {
      started = performance.now();
      for (const m of made)
        await bare.transaction('rw', bare.table(table), bare.table('recordPacks'), async () => {
          await bare.table(table).add(m.body);
          await bare.table('recordPacks').add(m.pack);
        });
      time[table] += seconds(started);
      await bare.table(table).clear();
      await bare.table('recordPacks').clear();
    }
  bare.close();
  await bare.delete();
  const n = records.length * 2;
  return {
    makePacks: records.length / makeSeconds,
    indexed: n / time.packBodies,
    unindexed: n / time.packBodiesUnindexed,
  };
}

/**
 * The least any import of this file must do, bare: the file read and cut into lines by the
 * import's own reader, each line parsed (a row must be read to be checked), and the lines
 * stored as they came, 1,000 to a pack, their UTF-8 encoded into a buffer kept between
 * packs, into bare tables of the import's schema. No record made, nothing serialised
 * again, no uuid check, no change feed, no index. With `tags`, each batch's cheap tags are
 * made in the tag pool beside it, as the import makes them. Batch k is stored while batch
 * k+1 is read, as in the import.
 */
async function importFloor(n: number, tags: boolean) {
  const file = makeFile(n);
  const bare = new Dexie(`${BENCH_DB}-floor`);
  bare.version(1).stores({
    recordPacks: SCHEMA_V7.recordPacks,
    packBodies: SCHEMA_V7.packBodies,
  });
  await bare.open();
  const tagger = tags ? tagPool() : undefined;
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(8 << 20);
  let written = 0;
  let uuids: string[] = [];
  let pairs: { instruction: string; response: string; language?: string }[] = [];
  let storing: Promise<unknown> = Promise.resolve();
  let rows = 0;
  const flush = async () => {
    if (!uuids.length) return;
    const id = crypto.randomUUID();
    const body = { id, uuids, bytes: scratch.slice(0, written) };
    const count = uuids.length;
    const pack = { id, datasetId: 'floor', runId: 'floor', first: rows, last: rows, count };
    rows += count;
    const tagged = tagger?.tag(pairs);
    written = 0;
    uuids = [];
    pairs = [];
    const previous = storing;
    storing = (async () => {
      await tagged;
      await previous;
      await bare.transaction(
        'rw',
        bare.table('packBodies'),
        bare.table('recordPacks'),
        async () => {
          await bare.table('packBodies').add(body);
          await bare.table('recordPacks').add(pack);
        },
      );
    })();
    await previous;
  };
  const started = performance.now();
  const name = tags ? 'import-floor-tagged' : 'import-floor';
  cpu.start(name);
  const layout = layoutOf(await file.slice(0, 4096).text());
  for await (const batch of fileRows(
    fileText(file, () => undefined),
    layout,
  )) {
    for (const row of batch) {
      const v = JSON.parse(row.text) as Record<string, string>;
      if (written + row.text.length * 3 + 1 > scratch.length) {
        const more = new Uint8Array(scratch.length * 2);
        more.set(scratch.subarray(0, written));
        scratch = more;
      }
      if (written) scratch[written++] = 10;
      written += encoder.encodeInto(row.text, scratch.subarray(written)).written;
      uuids.push(v.uuid!);
      pairs.push({
        instruction: v.instruction!,
        response: v.response!,
        ...(typeof v.language === 'string' && { language: v.language }),
      });
      if (uuids.length === 1000) await flush();
    }
  }
  await flush();
  await storing;
  const took = seconds(started);
  cpu.end(name, rows, 'row');
  await cpu.read();
  tagger?.close();
  bare.close();
  await bare.delete();
  return rows / took;
}

/** A fresh dataset worker opens the imported dataset: its first view, then the whole index. */
async function explorerAfterImport(datasetId: string) {
  await explorer.useDatabase(BENCH_DB);
  const started = performance.now();
  const first = await explorer.query(datasetId, {}, DEFAULT_SORT);
  const firstMs = performance.now() - started;
  await explorer.fresh(datasetId);
  return { firstMs, rows: first.total, wholeSeconds: seconds(started) };
}

async function answers(datasetId: string) {
  await explorer.fresh(datasetId);
  const time = async (f: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await f();
      xs.push(performance.now() - t);
    }
    return median(xs);
  };
  const summary = unwrap(await quality.summary(datasetId));
  const funnel = unwrap(
    await quality.previewRecipe(datasetId, { ...MAGPIE_RECIPE, minInstructReward: -10 }),
  );
  const selection: ExportSelection = {
    scope: 'view',
    filter: { q: 'the', facets: { review: ['unreviewed'] } },
  };
  const count = unwrap(await explorer.countSelection(datasetId, selection));
  return {
    records: summary.records,
    summaryMs: await time(() => quality.summary(datasetId)),
    funnelMs: await time(() => quality.previewRecipe(datasetId, MAGPIE_RECIPE)),
    // A step toggled changes the steps, not the data: the rows of this index version are reused.
    funnelTopNMs: await time(() =>
      quality.previewRecipe(datasetId, { ...MAGPIE_RECIPE, minInstructReward: -10, topN: 50_000 }),
    ),
    funnelKept: funnel.kept,
    countMs: await time(() => explorer.countSelection(datasetId, selection)),
    matching: count.matching,
  };
}

/** The first catch-up reads the dataset once (quietly); then 1,000 new pairs are caught up. */
async function catchUp(datasetId: string, fresh: number) {
  // The session's first pass: every record read, compared and (on a dataset without the
  // app's values yet, as after an import) every record's fields written.
  let started = performance.now();
  cpu.start('near-dup-first-pass');
  const first = unwrap(await quality.catchUp(datasetId));
  const firstSeconds = seconds(started);
  cpu.end('near-dup-first-pass', first?.records ?? 0, 'row');
  const firstWritten = first?.updated ?? 0;
  const other = new MagpieDB(BENCH_DB);
  const make = syntheticRecords({ datasetId, seed: 11 });
  const now = Date.now();
  await other.records.bulkAdd(
    Array.from({ length: fresh }, (_, i) => ({ ...make(i), createdAt: now + i })),
  );
  other.close();
  started = performance.now();
  const result = unwrap(await quality.catchUp(datasetId));
  const took = seconds(started);
  const updated = result?.updated ?? 0;
  // Where it goes: 1,000 more, the dataset index's catch-up first, then the near-duplicates.
  const more = syntheticRecords({ datasetId, seed: 17 });
  const later = Date.now();
  await db.records.bulkAdd(
    Array.from({ length: fresh }, (_, i) => ({ ...more(i), createdAt: later + i })),
  );
  started = performance.now();
  await explorer.fresh(datasetId);
  const indexSeconds = seconds(started);
  started = performance.now();
  unwrap(await quality.catchUp(datasetId));
  const dedupSeconds = seconds(started);
  // Last: its hundreds of thousands of puts and deletes would slow the reads above.
  const firstFloorSeconds = await derivedPutFloor(firstWritten);
  return {
    firstSeconds,
    firstRecords: first?.records ?? 0,
    firstWritten,
    firstFloorSeconds,
    seconds: took,
    updated,
    indexSeconds,
    dedupSeconds,
    ...(await putBaselines(Math.max(updated, 1))),
  };
}

/**
 * What IndexedDB alone takes to put n values in this schema, small (a derived row) and
 * whole (a record): the floor under any catch-up that writes one value per record.
 */
async function putBaselines(n: number) {
  const make = syntheticRecords({ datasetId: 'put-alone', seed: 13 });
  const records = Array.from({ length: n }, (_, i) => make(i));
  await db.records.bulkAdd(records);
  let started = performance.now();
  await db.recordDerived.bulkPut(
    records.map((r) => ({
      uuid: r.uuid,
      datasetId: 'put-alone',
      fields: {},
      nearDup: {
        min_neighbor_distance: 1,
        repeat_count: 0,
        min_similar_uuid: r.uuid,
        method: 'text' as const,
      },
    })),
  );
  const smallSeconds = seconds(started);
  started = performance.now();
  await db.records.bulkPut(records);
  const wholeSeconds = seconds(started);
  await db.records.where('datasetId').equals('put-alone').delete();
  return { smallSeconds, wholeSeconds };
}

/**
 * What IndexedDB alone takes to store n small derived rows the way a pass writes them (a
 * transaction of 2,000 at a time, nothing read back): the floor under a first pass that
 * writes one value per record. The rows are about uuids no record has, and go afterwards.
 */
async function derivedPutFloor(n: number) {
  const rows = Array.from({ length: n }, (_, i) => ({
    uuid: `put-floor-${i}`,
    datasetId: 'put-floor',
    fields: {},
    nearDup: {
      min_neighbor_distance: 1,
      repeat_count: 0,
      min_similar_uuid: `put-floor-${i}`,
      method: 'text' as const,
    },
  }));
  const started = performance.now();
  for (let i = 0; i < n; i += 2000)
    await db.transaction('rw', db.recordDerived, () =>
      db.recordDerived.bulkPut(rows.slice(i, i + 2000)),
    );
  const took = seconds(started);
  await db.recordDerived.bulkDelete(rows.map((r) => r.uuid));
  return took;
}

/** The near-duplicate pass built (its first catch-up reads the dataset), as a session has it. */
async function buildDedup(datasetId: string) {
  unwrap(await quality.catchUp(datasetId));
}

async function fullDedup(datasetId: string) {
  const started = performance.now();
  const result = unwrap(
    await quality.findDuplicates(datasetId, { method: 'text', threshold: 0.3 }),
  );
  return { ...result, seconds: seconds(started) };
}

/**
 * The explorer's bulk review of a whole view: every record of the dataset set to rejected,
 * then the undo that puts each status back.
 */
async function bulkReview(datasetId: string) {
  await explorer.fresh(datasetId);
  const view = await explorer.query(datasetId, {}, DEFAULT_SORT);
  let started = performance.now();
  cpu.start('bulk-review');
  const done = await explorer.bulkReview(view.queryId, 'rejected');
  const reviewSeconds = seconds(started);
  cpu.end('bulk-review', done.changed, 'row');
  started = performance.now();
  const undone = await explorer.undoBulkReview(done.undoToken);
  return {
    rows: view.total,
    changed: done.changed,
    reviewSeconds,
    undone,
    undoSeconds: seconds(started),
  };
}

/** After the recipe: the rejected records deleted from the explorer, as a curator cleans up. */
async function bulkDelete(datasetId: string) {
  await explorer.fresh(datasetId);
  const view = await explorer.query(datasetId, { facets: { review: ['rejected'] } }, DEFAULT_SORT);
  const started = performance.now();
  cpu.start('bulk-delete');
  const deleted = await explorer.bulkDelete(view.queryId);
  const took = seconds(started);
  cpu.end('bulk-delete', deleted, 'row');
  // The index then takes in the deletions' tombstones (the dataset worker's next catch-up).
  const caughtUp = performance.now();
  await explorer.fresh(datasetId);
  const catchUpSeconds = seconds(caughtUp);
  const left = await explorer.query(datasetId, {}, DEFAULT_SORT);
  return { deleted, seconds: took, catchUpSeconds, left: left.total };
}

/** The Magpie recipe applied: every record's review status set to kept or rejected. */
async function recipeApply(datasetId: string) {
  const started = performance.now();
  cpu.start('recipe-apply');
  const result = unwrap(await quality.applyRecipe(datasetId, MAGPIE_RECIPE));
  const took = seconds(started);
  cpu.end('recipe-apply', result.kept + result.rejected, 'row');
  return { ...result, seconds: took };
}

/** The whole dataset exported in the Magpie format to a Blob, as the app's download does. */
async function exportOnce(datasetId: string, sinkOptions: SinkOptions, mark: string) {
  const started = performance.now();
  cpu.start(mark);
  const sink = await openSink({ kind: 'blob' }, sinkOptions);
  const result = await exportDataset(
    db,
    {
      datasetId,
      selection: { scope: 'all', filter: {} },
      options: MAGPIE,
      fileName: 'bench.jsonl',
    },
    sink,
    { signal: new AbortController().signal, onProgress: () => undefined },
  );
  const took = seconds(started);
  cpu.end(mark, result.bytes / MB, 'MB');
  return { result, seconds: took };
}

/** The export's byte count written to a sink in chunk-sized writes (no reading, no rows). */
async function sinkAlone(bytes: number, sinkOptions: SinkOptions, mark: string) {
  const chunkBytes = new Uint8Array(5 << 20).fill(0x61);
  const started = performance.now();
  cpu.start(mark);
  const sink = await openSink({ kind: 'blob' }, sinkOptions);
  for (let left = bytes; left > 0; left -= chunkBytes.length)
    await sink.write(chunkBytes.subarray(0, Math.min(left, chunkBytes.length)));
  await sink.close();
  const took = seconds(started);
  cpu.end(mark, bytes / MB, 'MB');
  return took;
}

/** The export job, Magpie format to a Blob; and reading the records alone, the ceiling. */
async function exportMagpie(datasetId: string) {
  // The app's sink (an OPFS file where the browser has one), then Blob parts (where not).
  const { result, seconds: exportS } = await exportOnce(datasetId, {}, 'export');
  const parts = await exportOnce(datasetId, { blobParts: true }, 'export-to-blob-parts');
  const outputMb = result.bytes / MB;
  let started = performance.now();
  // As the export reads them: raw, with the dataset's derived rows read once and joined.
  started = performance.now();
  cpu.start('export-reading-alone');
  let records = 0;
  const derivedRows = await DatasetDerived.read(db, datasetId);
  for await (const chunk of recordChunks(db, datasetId, 1000, -Infinity, { raw: true }))
    records += derivedRows.assemble(chunk).length;
  const readSeconds = seconds(started);
  cpu.end('export-reading-alone', outputMb, 'MB');
  // Without their derived rows: what reading the stored records (rows and packs) costs.
  started = performance.now();
  for await (const chunk of recordChunks(db, datasetId, 1000, -Infinity, { raw: true })) void chunk;
  const rawSeconds = seconds(started);
  // The derived states alone, as the export reads them: the rows as one index range, and
  // the derived packs (held as maps by uuid, as an export holds them).
  started = performance.now();
  const derived = new Map(
    (
      await db.recordDerived
        .where('[datasetId+changedAt]')
        .between([datasetId, -Infinity], [datasetId, Infinity], true, true)
        .toArray()
    ).map((row) => [row.uuid, row]),
  );
  const derivedPacks = await datasetDerivedPacks(db, datasetId);
  const packed = new PackedStates(derivedPacks);
  const derivedSeconds = seconds(started);
  // Packs as stored, their bytes straight to a Blob (no parse, no row, no encode): the
  // ceiling of an export that writes stored lines as they are, if packs held export-ready lines.
  started = performance.now();
  const packs = await datasetPacks(db, datasetId);
  const packParts: Blob[] = [];
  let packBytes = 0;
  let next = db.packBodies.get(packs[0]?.id ?? '');
  for (let i = 0; i < packs.length; i++) {
    const body = await next;
    next = db.packBodies.get(packs[i + 1]?.id ?? '');
    if (body) {
      packParts.push(new Blob([body.bytes as Uint8Array<ArrayBuffer>]));
      packBytes += body.bytes.byteLength;
    }
  }
  await next;
  const packSeconds = seconds(started);
  // The output side alone, each sink.
  const sinkSeconds = await sinkAlone(result.bytes, {}, 'export-sink-alone');
  const partsSinkSeconds = await sinkAlone(result.bytes, { blobParts: true }, 'blob-parts-alone');
  return {
    rows: result.rows,
    mb: outputMb,
    seconds: exportS,
    partsSeconds: parts.seconds,
    partsSinkSeconds,
    readSeconds,
    rawSeconds,
    records,
    derivedRows: derived.size,
    derivedPacks: derivedPacks.length,
    packedStates: packed.size,
    derivedSeconds,
    packMb: packBytes / MB,
    packSeconds,
    packRecords: packs.reduce((sum, p) => sum + p.count, 0),
    sinkSeconds,
  };
}

/** While a run writes, the page asks what it asks of the dataset worker: catch-ups and the summary. */
let busy: ReturnType<typeof setInterval> | undefined;
function follow(datasetId: string | null) {
  clearInterval(busy);
  busy = undefined;
  if (datasetId)
    busy = setInterval(() => {
      void quality.catchUp(datasetId);
      void quality.summary(datasetId);
    }, 300);
}

async function cleanUp() {
  follow(null);
  await explorer.useDatabase('closed');
  db.close();
  await new MagpieDB(BENCH_DB).delete();
}

const api = {
  importRows,
  storeBaseline,
  importFloor,
  explorerAfterImport,
  answers,
  catchUp,
  buildDedup,
  fullDedup,
  recipeApply,
  bulkReview,
  bulkDelete,
  exportMagpie,
  follow,
  cleanUp,
};
export type EngineBench = typeof api;
Comlink.expose(api);
