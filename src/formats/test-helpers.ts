/**
 * Unit-test steps shared by the format tests: a dataset seeded with records, an export
 * read back as lines, an import from text. The real jobs run (fake-indexeddb underneath).
 */
import type { PairRecord } from '../shared/record';
import type {
  ExportOptions,
  ExportRequest,
  ImportFormat,
  ImportTarget,
} from '../shared/transfer-api';
import { MagpieDB } from '../store/db';
import { exportDataset } from './export-job';
import { openSink } from './export-sink';
import { importFile } from './import-job';
import { recordChunks } from '../store/record-chunks';

let n = 0;
export async function seededDb(
  records: (datasetId: string) => PairRecord[],
): Promise<{ db: MagpieDB; datasetId: string; records: PairRecord[] }> {
  const db = new MagpieDB(`formats-test-${++n}-${Date.now()}`);
  const datasetId = `ds-${n}`;
  await db.datasets.add({ id: datasetId, name: `Test set ${n}`, createdAt: Date.now() });
  const rows = records(datasetId);
  await db.records.bulkAdd(rows);
  return { db, datasetId, records: rows };
}

export const OPTIONS: ExportOptions = {
  format: 'sharegpt',
  tags: false,
  genConfig: false,
  systemPrompt: false,
  text: 'edited',
};

export function request(
  datasetId: string,
  options: Partial<ExportOptions>,
  selection: ExportRequest['selection'] = { scope: 'all', filter: {} },
): ExportRequest {
  return { datasetId, selection, options: { ...OPTIONS, ...options }, fileName: 'data.jsonl' };
}

export async function exportLines(db: MagpieDB, req: ExportRequest) {
  const sink = await openSink({ kind: 'blob' });
  const controller = new AbortController();
  const result = await exportDataset(db, req, sink, {
    signal: controller.signal,
    onProgress: () => undefined,
  });
  const text = result.blob ? await result.blob.text() : '';
  return {
    result,
    text,
    lines: text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export async function importText(
  db: MagpieDB,
  text: string,
  format: ImportFormat,
  target: ImportTarget = { kind: 'new', name: 'Imported' },
  signal = new AbortController().signal,
) {
  const file = new File([text], 'in.jsonl');
  return importFile(
    db,
    { file, format, target },
    { importId: crypto.randomUUID(), signal, onProgress: () => undefined },
  );
}

/** A dataset's records as stored (rows and packs), in creation order. */
export async function recordsOf(db: MagpieDB, datasetId: string): Promise<PairRecord[]> {
  const out: PairRecord[] = [];
  for await (const chunk of recordChunks(db, datasetId, 1000, -Infinity, { raw: true }))
    out.push(...chunk);
  return out;
}
