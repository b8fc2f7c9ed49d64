/**
 * Export rows as one Parquet file, streamed: rows are held one row group at a time, each
 * group is encoded (hyparquet-writer, Snappy) and its bytes go to the sink before the next
 * is read, so memory is bounded by the group, as with JSONL. The schema comes from the field
 * schema (parquet-schema.ts) for the columns the first row carries; every row of an export
 * carries the same (to-row.ts), and a row that does not stops the export with a message
 * naming the field, rather than dropping it silently.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ExportSink } from './export-sink';
import type { ExportOptions } from '../shared/transfer-api';
import { columnsOf, columnValues, parquetSchema, type Shape } from './parquet-schema';
import { carriedBy } from './record-fields';

export const PARQUET_ROW_GROUP = 5000;

export class ParquetRows {
  private pending: Record<string, unknown>[] = [];
  private writer?: ParquetWriter;
  private bytes?: ByteWriter;
  private fields?: Map<string, Shape>;
  private written = 0;
  /** Bytes handed to the sink so far. */
  flushed = 0;

  constructor(
    private readonly sink: ExportSink,
    private readonly options: Pick<ExportOptions, 'tags' | 'genConfig'>,
    private readonly groupSize = PARQUET_ROW_GROUP,
  ) {}

  async add(rows: Record<string, unknown>[]): Promise<void> {
    this.pending.push(...rows);
    while (this.pending.length >= this.groupSize)
      await this.writeGroup(this.pending.splice(0, this.groupSize));
  }

  /** Writes what is left and the footer. */
  async close(): Promise<void> {
    if (this.pending.length || !this.writer) await this.writeGroup(this.pending.splice(0));
    await this.writer!.finish();
    await this.drain();
  }

  private async writeGroup(rows: Record<string, unknown>[]) {
    if (!this.writer) {
      this.fields = columnsOf(Object.keys(rows[0] ?? {}), carriedBy(this.options));
      this.bytes = new ByteWriter();
      this.writer = new ParquetWriter({
        writer: this.bytes,
        schema: parquetSchema(this.fields),
        createdBy: 'Magpie Studio (hyparquet-writer)',
      });
    }
    for (let i = 0; i < rows.length; i++) {
      const odd = oddField(rows[i]!, this.fields!);
      if (odd !== undefined)
        throw new Error(
          `Row ${this.written + i + 1} ${odd}; Parquet needs one schema for the file. Export this selection as JSONL.`,
        );
    }
    if (rows.length) {
      const columnData = [...this.fields!.keys()].map((name) => ({
        name,
        data: columnValues(
          this.fields!.get(name)!,
          rows.map((r) => r[name]),
        ),
      }));
      await this.writer.write({ columnData, rowGroupSize: rows.length });
    }
    this.written += rows.length;
    await this.drain();
  }

  /** Moves the encoded bytes to the sink; the writer keeps counting offsets from there. */
  private async drain() {
    const bytes = this.bytes!;
    if (!bytes.index) return;
    const chunk = new Uint8Array(bytes.buffer.slice(0, bytes.index));
    bytes.index = 0;
    this.flushed += chunk.byteLength;
    await this.sink.write(chunk);
  }
}

/** How a row's keys differ from the file's columns, or undefined when they do not. */
function oddField(row: Record<string, unknown>, fields: Map<string, Shape>): string | undefined {
  for (const key in row)
    if (!fields.has(key)) return `brings the field "${key}", which the first row did not have`;
  if (Object.keys(row).length !== fields.size)
    return `lacks the field "${[...fields.keys()].find((k) => !(k in row))}"`;
  return undefined;
}
