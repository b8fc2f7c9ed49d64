// Issue 15's figures, each printed as one line starting with its name: a Magpie file of N
// pairs imported, the explorer right after, the quality summary, the recipe funnel and the
// export count at that size, near-duplicates (catch-up and a full pass), generating into
// the large dataset against an empty one, and the export; with the bare IndexedDB
// baselines that bound them. ?records=N (default 300,000; 20,000 for a quick look),
// ?pairs=P for the generation runs, ?fullDedup=0 to leave out the slowest line, ?phases=a,b
// to run only those phases (in their order; e.g. import,catch-up: a dataset, then the catch-up).
//
// Each phase is its own page load (?phase=..., the dataset kept in the browser profile
// between them, see bench/run.mjs), so at 300,000 records no single load outlasts the
// runner's page limit; a phase answers the next one in `benchResult.next`.
import * as Comlink from 'comlink';
import type { EngineBench } from './engine.worker';
import type { PipelineBench } from './pipeline.worker';

const params = new URLSearchParams(location.search);
const N = Number(params.get('records') ?? 300_000);
const PAIRS = Number(params.get('pairs') ?? 2000);
const FULL_DEDUP = params.get('fullDedup') !== '0';
const PHASES = [
  'import',
  'answers',
  'catch-up',
  'generation',
  'export',
  'full-dedup',
  'bulk-review',
  'recipe-apply',
  'bulk-delete',
] as const;
type Phase = (typeof PHASES)[number];
const chosen = params.get('phases')?.split(',') ?? PHASES;
const running = PHASES.filter((p) => chosen.includes(p));
const phase = (params.get('phase') ?? running[0] ?? 'import') as Phase;
let datasetId = params.get('dataset') ?? '';
const DB = 'magpie-bench-engine';
const lines: string[] = [];
const out = document.getElementById('out')!;
const log = (line: string) => {
  lines.push(line);
  console.info(`bench: ${line}`);
  out.textContent = lines.join('\n');
};
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const ms = (x: number) => `${x.toFixed(1)} ms`;

const engine = Comlink.wrap<EngineBench>(
  new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
);
const pipeline = Comlink.wrap<PipelineBench>(
  new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' }),
);

const legs: Record<Phase, () => Promise<void>> = {
  import: async () => {
    const imp = await engine.importRows(N);
    const rate = (imp.imported + imp.duplicates) / imp.seconds;
    const storeOnly = await engine.storeBaseline(Math.min(N, 20_000));
    const floor = await engine.importFloor(Math.min(N, 20_000), false);
    const floorTagged = await engine.importFloor(Math.min(N, 20_000), true);
    log(
      `import: ${n(rate)} rows/s end to end (${n(imp.imported)} Magpie rows, ${imp.mb.toFixed(0)} MB, in ${imp.seconds.toFixed(1)} s; aim >= 10,000); ` +
        `baselines, bare IndexedDB: bulkAdd of whole records in this schema ${n(storeOnly.rows)} rows/s; ` +
        `the same records stored as packs (JSON lines, 1,000 a value) ${n(storeOnly.packs)} rows/s; ` +
        `those packs written bare, made beforehand (making them ${n(storeOnly.makePacks)} rows/s): with the uuids index ${n(storeOnly.indexed)} rows/s, without it ${n(storeOnly.unindexed)} rows/s; ` +
        `the least an import of this file must do, bare (the import's reader, each line parsed and its text stored as it came, 1,000 lines a pack): ${n(floor)} rows/s, ` +
        `with the cheap tags made beside it in the tag pool ${n(floorTagged)} rows/s`,
    );
    datasetId = imp.datasetId!;
  },

  answers: async () => {
    const after = await engine.explorerAfterImport(datasetId);
    log(
      `explorer after import: first view answered in ${ms(after.firstMs)} by a fresh dataset worker (${n(after.rows)} rows; aim < 1.5 s); ` +
        `complete, with search, in ${after.wholeSeconds.toFixed(1)} s (the import saved the index it built)`,
    );

    const a = await engine.answers(datasetId);
    log(
      `quality summary: ${ms(a.summaryMs)} at ${n(a.records)} records (median of 5; aim < 200 ms)`,
    );
    log(
      `recipe funnel: ${ms(a.funnelMs)} (Magpie recipe), ${ms(a.funnelTopNMs)} with the reward step and top 50,000 (median of 5; aim < 200 ms)`,
    );
    log(
      `export count: ${ms(a.countMs)} for a searched, filtered view (${n(a.matching)} match; median of 5; aim < 200 ms)`,
    );
  },

  'catch-up': async () => {
    const c = await engine.catchUp(datasetId, 1000);
    log(
      `near-duplicates catch-up: 1,000 new pairs in ${(c.indexSeconds + c.dedupSeconds).toFixed(2)} s steady ` +
        `(the dataset index's catch-up ${c.indexSeconds.toFixed(2)} s, then near-duplicates found and written ${c.dedupSeconds.toFixed(2)} s; aim < 1 s), ` +
        `${c.seconds.toFixed(2)} s for the first 1,000 after the session's first pass (${n(c.updated)} records' fields written; ` +
        `that pass ${c.firstSeconds.toFixed(1)} s, below); ` +
        `baseline, bare IndexedDB bulkPut of that many values: ${c.smallSeconds.toFixed(2)} s small (derived rows), ${c.wholeSeconds.toFixed(2)} s whole records`,
    );
    // The session's first pass on a dataset without the app's values is the pass that
    // stores every record's fields: the figure as the issue defines it.
    log(
      `near-duplicates stored: the first text pass over ${n(c.firstRecords)} stored records, every one read and compared and ${n(c.firstWritten)} records' fields written, in ${c.firstSeconds.toFixed(1)} s (aim < 60 s); ` +
        `baseline, bare IndexedDB bulkPut of a derived row for each of those records, 2,000 a transaction (how the pass stored them before derived packs): ${c.firstFloorSeconds.toFixed(1)} s`,
    );
  },

  generation: async () => {
    // Generation: an empty dataset, then the large one, the dataset worker following each run
    // (its near-duplicate pass built first, as the catch-up phase left it in one page).
    await engine.buildDedup(datasetId);
    // Unmeasured: the first run in a page pays its warm-up (JIT, the pipeline worker's start).
    await pipeline.measure(Math.min(PAIRS, 500), 8, 'pairs', { dbName: DB });
    const empty = await pipeline.measure(PAIRS, 8, 'pairs', { dbName: DB });
    await engine.follow(datasetId);
    const large = await pipeline.measure(PAIRS, 8, 'pairs', { dbName: DB, datasetId });
    await engine.follow(null);
    log(
      `generation into a large dataset: ${(large.pairsPerSecond / empty.pairsPerSecond).toFixed(2)} of the empty-dataset rate ` +
        `(${n(large.pairsPerSecond)} vs ${n(empty.pairsPerSecond)} pairs/s, ${n(PAIRS)} pairs, instant engine, 8 in flight, ` +
        `the dataset worker catching up and answering the summary every 300 ms; aim >= 0.9)`,
    );
  },

  export: async () => {
    const e = await engine.exportMagpie(datasetId);
    log(
      `export: ${(e.mb / e.seconds).toFixed(0)} MB/s Magpie format to a Blob (${n(e.rows)} rows, ${e.mb.toFixed(0)} MB in ${e.seconds.toFixed(1)} s, written to an OPFS file where the browser has one; aim >= 50); ` +
        `the same export into Blob parts (a browser without OPFS) ${(e.mb / e.partsSeconds).toFixed(0)} MB/s (${e.partsSeconds.toFixed(1)} s); ` +
        `baseline, reading the records alone as the export does (raw, the derived rows read once and joined): ${(e.mb / e.readSeconds).toFixed(0)} MB/s of that output (${n(e.records)} records in ${e.readSeconds.toFixed(1)} s), ` +
        `${(e.mb / e.rawSeconds).toFixed(0)} MB/s without their derived rows (${e.rawSeconds.toFixed(1)} s); ` +
        `the derived states alone (${n(e.derivedRows)} rows as one index range, ${n(e.derivedPacks)} derived packs holding ${n(e.packedStates)} records' states) read in ${e.derivedSeconds.toFixed(1)} s; ` +
        `the ${n(e.packRecords)} packed records' stored bytes straight to a Blob (${e.packMb.toFixed(0)} MB: each text once, smaller than the output) in ${e.packSeconds.toFixed(1)} s, ` +
        `${(e.packMb / e.packSeconds).toFixed(0)} MB/s of stored bytes, ${(e.mb / e.packSeconds).toFixed(0)} MB/s of the output's size; ` +
        `the output's bytes alone written in 5 MB writes to the app's sink in ${e.sinkSeconds.toFixed(1)} s, ${(e.mb / e.sinkSeconds).toFixed(0)} MB/s, to Blob parts in ${e.partsSinkSeconds.toFixed(1)} s, ${(e.mb / e.partsSinkSeconds).toFixed(0)} MB/s`,
    );
  },

  'full-dedup': async () => {
    if (FULL_DEDUP) {
      const d = await engine.fullDedup(datasetId);
      log(
        `near-duplicates stored: a full text pass again over ${n(d.records)} stored records in ${d.seconds.toFixed(1)} s, ` +
          `${n(d.updated)} records' fields written (only those whose values changed; aim < 60 s)`,
      );
    }
  },

  'bulk-review': async () => {
    const b = await engine.bulkReview(datasetId);
    log(
      `bulk review: a whole view of ${n(b.rows)} records set to rejected in ${b.reviewSeconds.toFixed(1)} s (${n(b.changed)} changed), ` +
        `undone in ${b.undoSeconds.toFixed(1)} s (${n(b.undone)} statuses put back)`,
    );
  },

  'recipe-apply': async () => {
    const r = await engine.recipeApply(datasetId);
    log(
      `recipe applied: the Magpie recipe's review status set on ${n(r.kept + r.rejected)} records (${n(r.kept)} kept, ${n(r.rejected)} rejected) in ${r.seconds.toFixed(1)} s`,
    );
  },

  'bulk-delete': async () => {
    const d = await engine.bulkDelete(datasetId);
    log(
      `bulk delete: the ${n(d.deleted)} records the recipe rejected deleted from the explorer in ${d.seconds.toFixed(1)} s (${n(d.left)} left), the index caught up after in ${d.catchUpSeconds.toFixed(2)} s`,
    );
  },
};

let next: Phase | undefined = running[running.indexOf(phase) + 1];
try {
  await legs[phase]();
} catch (err) {
  next = undefined;
  log(
    `benchmark failed: ${err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err)}`,
  );
} finally {
  if (!next) await engine.cleanUp().catch(() => undefined);
  (window as unknown as { benchResult: unknown }).benchResult = {
    lines,
    ...(next && { next: `phase=${next}&dataset=${encodeURIComponent(datasetId)}` }),
  };
}
