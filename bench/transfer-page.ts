// Export and import of 300,000 records: the app's own jobs (the same functions its transfer
// worker runs), here on the page's thread so performance.memory can see their JS heap.
// IndexedDB, encoding, Blob and file writes are the real browser's.
import { syntheticRecords } from '../src/dataset/synthetic';
import { exportDataset } from '../src/formats/export-job';
import { openSink } from '../src/formats/export-sink';
import { fileRows, fileText } from '../src/formats/file-rows';
import { parseRow } from '../src/formats/from-row';
import { importFile } from '../src/formats/import-job';
import { tagPool } from '../src/formats/tag-pool';
import { loadCheapTagger } from '../src/record-rules/cheap-tags';
import type { ExportOptions, ExportSelection, ExportTarget } from '../src/shared/transfer-api';
import { MagpieDB } from '../src/store/db';

const N = Number(new URLSearchParams(location.search).get('records') ?? 300_000);
const lines: string[] = [];
const out = document.getElementById('out')!;
const log = (line: string) => {
  lines.push(line);
  console.info(`bench: ${line}`);
  out.textContent = lines.join('\n');
};

const memory = () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
const gc = () => (globalThis as unknown as { gc?: () => void }).gc?.();
const MB = 1 << 20;
const usage = async () =>
  `${(((await navigator.storage.estimate()).usage ?? 0) / MB).toFixed(0)} MB stored`;

/** Runs `job`, sampling the JS heap on each progress call; reports seconds and peak growth. */
async function measure<T>(job: (sample: () => void) => Promise<T>) {
  gc();
  const base = memory()?.usedJSHeapSize ?? 0;
  let peak = base;
  const sample = () => (peak = Math.max(peak, memory()?.usedJSHeapSize ?? 0));
  const started = performance.now();
  const value = await job(sample);
  sample();
  const seconds = (performance.now() - started) / 1000;
  // The peak includes garbage not yet collected (V8 collects when it likes); what the job
  // still holds at its end, after a collection, shows whether anything accumulates.
  gc();
  const retainedMB = ((memory()?.usedJSHeapSize ?? 0) - base) / MB;
  return { value, seconds, heapMB: (peak - base) / MB, retainedMB };
}

const source = new MagpieDB(`magpie-bench-transfer-${Date.now()}`);
const target = new MagpieDB(`magpie-bench-transfer-in-${Date.now()}`);
try {
  const datasetId = 'bench';
  await source.datasets.add({ id: datasetId, name: 'bench', createdAt: Date.now() });
  const make = syntheticRecords({ datasetId, seed: 7 });
  const seed = (from: number, to: number) =>
    measure(async () => {
      for (let i = from; i < to; i += 5000) {
        const batch = [];
        for (let j = i; j < Math.min(to, i + 5000); j++) batch.push(make(j));
        await source.records.bulkAdd(batch);
      }
    });
  // The file path first, on a third of the data: this headless browser's storage quota for
  // the origin (~1.5 GB) cannot hold all records and a file of them (plus its swap copy).
  const third = Math.round(N / 3);
  await seed(0, third);

  const exportTo = async (
    format: ExportOptions['format'],
    sinkTarget: ExportTarget,
    selection: ExportSelection = { scope: 'all', filter: {} },
  ) =>
    measure(async (sample) => {
      const sink = await openSink(sinkTarget);
      return exportDataset(
        source,
        {
          datasetId,
          selection,
          options: { format, tags: false, genConfig: false, systemPrompt: false, text: 'edited' },
          fileName: `bench.${format}.jsonl`,
        },
        sink,
        { signal: new AbortController().signal, onProgress: sample },
      );
    });
  const report = (what: string, r: Awaited<ReturnType<typeof exportTo>>) =>
    log(
      `export ${what}: ${r.value.rows} rows, ${(r.value.bytes / MB).toFixed(0)} MB in ${r.seconds.toFixed(1)} s = ` +
        `${(r.value.bytes / MB / r.seconds).toFixed(0)} MB/s (aim: > 50), peak JS heap growth ${r.heapMB.toFixed(0)} MB (aim: < 200; garbage included), ` +
        `${r.retainedMB.toFixed(0)} MB held after the job`,
    );

  const dir = await navigator.storage.getDirectory();
  const handle = await dir.getFileHandle('bench-transfer.jsonl', { create: true });
  const shareGpt = await exportTo('sharegpt', { kind: 'file', handle });
  report(
    `ShareGPT of ${third} records to a file (File System Access, origin-private file)`,
    shareGpt,
  );
  await dir.removeEntry('bench-transfer.jsonl');

  await seed(third, N);
  log(`seeded ${N} synthetic records (${await usage()})`);
  const magpie = await exportTo('magpie', { kind: 'blob' });
  report('Magpie to a Blob built from parts', magpie);

  const file = new File([magpie.value.blob!], 'bench.magpie.jsonl');
  // The browser's storage quota holds one copy of the data, not two.
  await source.delete();
  const parsing = await measure(async () => {
    let rows = 0;
    for await (const batch of fileRows(
      fileText(file, () => undefined),
      'lines',
    )) {
      for (const row of batch) if (parseRow('magpie', JSON.parse(row.text)).ok) rows++;
    }
    return rows;
  });
  log(
    `import, reading alone (stream, split, JSON.parse, zod, checks): ${parsing.value} rows in ` +
      `${parsing.seconds.toFixed(1)} s = ${(parsing.value / parsing.seconds).toFixed(0)} rows/s`,
  );

  const sampleSize = Math.min(N, 20_000);
  const cheapTags = await loadCheapTagger();
  const tagging = await measure(async () => {
    for (let i = 0; i < sampleSize; i++) cheapTags(make(N + i));
  });
  log(
    `cheap tags alone (ELD language + repetition, src/quality): ${((tagging.seconds / sampleSize) * 1e6).toFixed(0)} µs/row ` +
      `= ${(sampleSize / tagging.seconds).toFixed(0)} rows/s (one thread)`,
  );

  // IndexedDB's own pace for whole records in this schema: the ceiling for any import.
  const storeSample = Math.min(N, 20_000);
  const storing = await measure(async () => {
    for (let i = 0; i < storeSample; i += 2000) {
      const batch = [];
      for (let j = i; j < Math.min(storeSample, i + 2000); j++)
        batch.push({ ...make(N + j), datasetId: 'store-alone' });
      await target.records.bulkAdd(batch);
    }
  });
  await target.records.where('datasetId').equals('store-alone').delete();
  log(
    `storing alone (IndexedDB bulkAdd of 2,000-record batches, this schema and its indexes): ` +
      `${(storeSample / storing.seconds).toFixed(0)} rows/s (includes building the records)`,
  );

  await target.datasets.add({ id: 'seed', name: 'seed', createdAt: 0 });
  const tagger = tagPool();
  const imported = await measure((sample) =>
    importFile(
      target,
      { file, format: 'magpie', target: { kind: 'new', name: 'imported' } },
      { importId: 'bench', signal: new AbortController().signal, onProgress: sample, tagger },
    ),
  );
  tagger.close();
  const r = imported.value;
  log(
    `import ${(file.size / MB).toFixed(0)} MB of Magpie rows into a new dataset: ${r.imported} imported, ${r.skipped} skipped, ` +
      `${r.duplicates} duplicates in ${imported.seconds.toFixed(1)} s = ${((r.imported + r.duplicates) / imported.seconds).toFixed(0)} rows/s ` +
      `(aim: > 20,000), peak JS heap growth ${imported.heapMB.toFixed(0)} MB; cheap tags in ` +
      `${Math.max(0, Math.min(8, navigator.hardwareConcurrency - 1))} worker(s) (${navigator.hardwareConcurrency} cores)`,
  );
} catch (err) {
  log(
    `benchmark failed: ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err)}`,
  );
} finally {
  await source.delete();
  await target.delete();
  (window as unknown as { benchResult: unknown }).benchResult = { lines };
}
