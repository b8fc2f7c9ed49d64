/**
 * One import: the file streams in row by row, each row is read as the chosen format, and
 * good rows are stored a batch at a time; a bad row is listed with its line number and
 * never stops the rest. Every stored record carries runId `import:<id>`, so cancelling (or
 * recovering from a closed tab) removes exactly this import and leaves the dataset as it
 * was. A new dataset appears only once its rows are all in.
 */
import {
  IMPORT_RUN_PREFIX,
  type ImportProgress,
  type ImportReport,
  type ImportRequest,
  type SkippedLine,
} from '../shared/transfer-api';
import { pairOfTurns as pairOf, type RecordPlace } from '../shared/record-factory';
import { changeClock, type MagpieDB } from '../store/db';
import { fileRows, fileText, layoutOf } from './file-rows';
import { parseRow, type ParsedRow } from './from-row';
import { importedRecord } from './imported-record';
import { IndexBuilder } from '../dataset/index-builder';
import { addExtraFields, discardImport, storeBatch } from './import-store';
import { InstructionSet } from './instruction-hash';
import { recordChunks } from '../store/record-chunks';
import { localTagger, type Tagger } from './tag-pool';

const BATCH = 1000;
/** Skipped lines listed by number; the count covers them all. */
const LISTED = 1000;

export interface ImportControl {
  importId: string;
  signal: AbortSignal;
  onProgress: (progress: ImportProgress) => void;
  /** Records stored per transaction. */
  batchSize?: number;
  /** Where cheap tags are computed; this thread when not given. */
  tagger?: Tagger;
}

type Pending = { parsed: ParsedRow; place: RecordPlace };

export async function importFile(
  db: MagpieDB,
  request: ImportRequest,
  control: ImportControl,
): Promise<ImportReport> {
  const started = performance.now();
  const { file, format, target } = request;
  const { signal } = control;
  const runId = IMPORT_RUN_PREFIX + control.importId;
  const tagger = control.tagger ?? localTagger;
  const progress: ImportProgress = {
    phase: 'reading-dataset',
    bytesRead: 0,
    bytesTotal: file.size,
    imported: 0,
    skipped: 0,
    duplicates: 0,
  };
  const skippedLines: SkippedLine[] = [];
  const skip = (line: number, reason: string) => {
    progress.skipped++;
    if (skippedLines.length < LISTED) skippedLines.push({ line, reason });
  };
  const report = (cancelled: boolean, datasetId?: string): ImportReport => ({
    cancelled,
    datasetId,
    importId: control.importId,
    imported: cancelled ? 0 : progress.imported,
    skipped: progress.skipped,
    duplicates: progress.duplicates,
    skippedLines,
    seconds: (performance.now() - started) / 1000,
  });

  const datasetId = target.kind === 'existing' ? target.datasetId : crypto.randomUUID();
  const seen = new InstructionSet();
  if (target.kind === 'existing') {
    if (!(await db.datasets.get(datasetId))) throw new Error('The dataset to import into is gone.');
    for await (const chunk of recordChunks(db, datasetId, 1000, -Infinity, { raw: true })) {
      if (signal.aborted) return report(true);
      for (const r of chunk) {
        seen.add(r.instruction);
        if (r.edited?.instruction) seen.add(r.edited.instruction);
      }
    }
  }
  progress.phase = 'importing';
  control.onProgress({ ...progress });
  // A new dataset is indexed as it is stored; into an existing one, the dataset worker that
  // has it open catches up with the new records itself.
  const index =
    target.kind === 'new' ? new IndexBuilder(datasetId, { textWorker: true }) : undefined;

  // Storing batch k (after its tags) goes on while batch k+1 is read; at most one waits.
  let storing: Promise<void> = Promise.resolve();
  // Batch k goes into the index while batch k+1 is being written: the write's wait for
  // IndexedDB's backend (another thread) is this thread's time to index. At most one batch
  // waits to be indexed.
  let indexing: Promise<void> = Promise.resolve();
  const storedUuids = new Set<string>();
  // What an undo needs to find this import's traces without reading its packs back.
  const stored = { uuids: storedUuids, since: await changeClock(db) };
  let batch: Pending[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    if (!rows.length) return storing;
    // A language the file names is kept (copyTags), so it is not detected again.
    const tags = tagger.tag(
      rows.map((r) => {
        const language = r.parsed.meta.language;
        return { ...pairOf(r.parsed.turns), ...(typeof language === 'string' && { language }) };
      }),
    );
    const previous = storing;
    const indexedBefore = indexing;
    storing = (async () => {
      const tagged = await tags;
      await previous;
      await indexedBefore;
      const records = rows.map((r, i) => importedRecord(r.parsed, r.place, tagged[i]!));
      await storeBatch(db, records, storedUuids);
      progress.imported += rows.length;
      control.onProgress({ ...progress });
      if (!index) return;
      const before = indexing;
      indexing = (async () => {
        await before;
        // After the next batch's write has gone out (its requests are made in microtasks).
        await nextTask();
        index.add(records);
      })();
      indexing.catch(() => undefined); // awaited by the next batch or below
    })();
    storing.catch(() => undefined); // awaited below; this only avoids an unhandled warning
    await previous;
  };

  const base = Date.now();
  let order = 0;
  const extraFields = new Set<string>();
  const readRows = async () => {
    const layout = layoutOf(await file.slice(0, 4096).text());
    const text = fileText(file, (bytes) => (progress.bytesRead = bytes));
    for await (const rows of fileRows(text, layout)) {
      for (const row of rows) {
        if (!row.text.trim()) continue;
        let value: unknown;
        try {
          value = JSON.parse(row.text);
        } catch (err) {
          const why = row.unterminated
            ? 'the file ends inside this row (cut off?)'
            : `not JSON (${(err as Error).message})`;
          skip(row.line, why);
          continue;
        }
        const parsed = parseRow(format, value);
        if (!parsed.ok) {
          skip(row.line, parsed.reason);
          continue;
        }
        if (!seen.addNew(pairOf(parsed.row.turns).instruction)) {
          progress.duplicates++;
          continue;
        }
        for (const key in parsed.row.extras) extraFields.add(key);
        const fileUuid = parsed.row.meta.uuid;
        batch.push({
          parsed: parsed.row,
          place: {
            // The file's uuid unless this database holds it already (checked when stored).
            uuid: fileUuid && fileUuid.length <= 200 ? fileUuid : crypto.randomUUID(),
            datasetId,
            runId,
            // A microsecond apart, so the file's order is the dataset's order.
            createdAt: base + order++ / 1000,
          },
        });
        if (batch.length >= (control.batchSize ?? BATCH)) await flush();
        if (signal.aborted) return;
      }
    }
    await flush();
  };

  try {
    await readRows();
    await storing;
    await indexing;
  } catch (err) {
    // A failure half-way (a full disk, an unreadable file) must not leave half an import.
    await storing.catch(() => undefined);
    await indexing.catch(() => undefined);
    index?.close();
    await discardImport(db, control.importId, stored);
    throw err;
  }
  if (signal.aborted) {
    index?.close();
    progress.phase = 'undoing';
    control.onProgress({ ...progress });
    await discardImport(db, control.importId, stored);
    return report(true);
  }
  if (target.kind === 'new') {
    const name = target.name.trim() || file.name;
    await db.datasets.add({
      id: datasetId,
      name,
      createdAt: Date.now(),
      ...(extraFields.size && { extraFields: [...extraFields] }),
    });
    // Only an optimisation: without a saved index the explorer reads the dataset once.
    await index?.save(db).catch(() => undefined);
    index?.close();
  }
  if (target.kind === 'existing' && extraFields.size)
    await addExtraFields(db, datasetId, extraFields);
  return report(false, datasetId);
}

/** Resolves in a later task, after every microtask queued before it. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
