/**
 * One export: the dataset's records stream out of IndexedDB a chunk at a time, the view's
 * filter (recordMatches, the explorer's own definition) picks rows, each becomes one JSONL
 * line of the chosen format, and the bytes go to the sink. Statistics for the dataset card
 * are gathered on the way, so the card describes exactly the rows written.
 */
import { mapRegionMembership } from '../map/region-membership';
import { recordMatches } from '../shared/filter';
import type { RunRecord } from '../shared/run';
import {
  selectionFilter,
  type ExportProgress,
  type ExportRequest,
  type ExportResult,
} from '../shared/transfer-api';
import type { MagpieDB } from '../store/db';
import { DatasetDerived } from '../store/derived';
import { countRecords } from '../store/records';
import { pairText } from './conversation';
import { datasetCard } from './dataset-card';
import type { ExportSink } from './export-sink';
import { ExportStats } from './export-stats';
import { ParquetRows } from './parquet-out';
import { recordChunks } from '../store/record-chunks';
import { rowJson, toRow } from './to-row';

export interface JobControl {
  signal: AbortSignal;
  onProgress: (progress: ExportProgress) => void;
}

export async function exportDataset(
  db: MagpieDB,
  request: ExportRequest,
  sink: ExportSink,
  control: JobControl,
): Promise<ExportResult> {
  const started = performance.now();
  const { datasetId } = request;
  const dataset = await db.datasets.get(datasetId);
  // Rows carry the dataset's extra field names (imported files' own fields) as columns.
  const options = { ...request.options, extraFields: dataset?.extraFields ?? [] };
  const filter = selectionFilter(request.selection);
  const inRegion = await mapRegionMembership(db, datasetId, filter);
  const total = await countRecords(db, datasetId);
  const stats = new ExportStats();
  const lines = new LineBytes(sink);
  // Parquet takes the same rows; it encodes them a row group at a time.
  const parquet = options.file === 'parquet' ? new ParquetRows(sink, options) : undefined;
  let read = 0;

  // Records raw and the dataset's derived rows in one read, joined here: an export reads
  // every record, and asking for each one's row costs a request per record (DatasetDerived).
  // The next chunk is asked for before this one is written: its pack is read by IndexedDB
  // (another thread) while this thread turns records into lines.
  const chunks = recordChunks(db, datasetId, 1000, -Infinity, { raw: true });
  let pending = chunks.next();
  pending.catch(() => undefined);
  const derived = await DatasetDerived.read(db, datasetId);
  for (;;) {
    const next = await pending;
    if (next.done || control.signal.aborted) break;
    const chunk = derived.assemble(next.value);
    pending = chunks.next();
    // Handled here too: a failed read after a cancel or a failed write is never awaited.
    pending.catch(() => undefined);
    const rows: Record<string, unknown>[] = [];
    for (const record of chunk) {
      if (!recordMatches(record, filter, inRegion)) continue;
      const out = toRow(record, options);
      if (!out.ok) {
        stats.skip(record, out.reason);
        continue;
      }
      if (parquet) rows.push(out.row);
      else stats.bytes += lines.add(rowJson(out.row));
      stats.add(record, out.row, pairText(record, options.text));
    }
    read += chunk.length;
    if (parquet) {
      await parquet.add(rows);
      stats.bytes = parquet.flushed;
    } else await lines.flush();
    control.onProgress({ read, total, written: stats.rows, bytes: stats.bytes });
  }

  const seconds = (performance.now() - started) / 1000;
  const notExportable = { count: stats.notExportable, examples: stats.notExportableExamples };
  if (control.signal.aborted) {
    await sink.abort();
    return {
      cancelled: true,
      rows: 0,
      bytes: 0,
      seconds,
      notExportable,
      card: '',
      blob: undefined,
    };
  }
  if (parquet) {
    await parquet.close();
    stats.bytes = parquet.flushed;
  }
  const blob = await sink.close();
  const runIds = [...stats.runs.keys()];
  const runs = (await db.runs.bulkGet(runIds)).filter((r): r is RunRecord => !!r);
  const card = datasetCard({
    datasetName: dataset?.name ?? 'Magpie dataset',
    request,
    stats,
    runs,
    exportedAt: new Date(),
  });
  return {
    cancelled: false,
    rows: stats.rows,
    bytes: stats.bytes,
    seconds,
    notExportable,
    card,
    blob,
  };
}

/**
 * A chunk's JSON lines as UTF-8, each encoded straight into one buffer kept across the
 * export: encoding line by line means no text of the whole chunk is built (a join copies
 * every line once more), and a fresh buffer per chunk cost more than the encoding itself
 * (memory outside the JS heap, which the collector answers).
 */
class LineBytes {
  private buffer = new Uint8Array(1 << 20);
  private at = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly sink: ExportSink) {}

  /** Encodes the line and its line break; answers the bytes it took. */
  add(line: string): number {
    // Each UTF-16 unit takes at most 3 bytes.
    const most = line.length * 3 + 1;
    if (this.at + most > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.at + most));
      grown.set(this.buffer.subarray(0, this.at));
      this.buffer = grown;
    }
    const { written } = this.encoder.encodeInto(line, this.buffer.subarray(this.at));
    this.buffer[this.at + written] = 0x0a;
    this.at += written + 1;
    return written + 1;
  }

  /** Writes the lines held to the sink (the buffer is reused after). */
  async flush(): Promise<void> {
    if (!this.at) return;
    const bytes = this.buffer.subarray(0, this.at);
    this.at = 0;
    await this.sink.write(bytes);
  }
}
