/**
 * Export rows as one Parquet file, streamed: rows are held one row group at a time, each
 * group is encoded (hyparquet-writer, Snappy) and its bytes go to the sink before the next
 * is read, so memory is bounded by the group, as with JSONL. The schema comes from the
 * first group's rows (parquet-schema.ts); a later row that brings a field the first group
 * never had stops the export with a message naming it, rather than dropping it silently.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ExportSink } from './export-sink';
import { fitsShape, parquetSchema, rowsShape } from './parquet-schema';

export const PARQUET_ROW_GROUP = 5000;

export class ParquetRows {
  private pending: Record<string, unknown>[] = [];
  private writer?: ParquetWriter;
  private bytes?: ByteWriter;
  private fields?: ReturnType<typeof rowsShape>;
  private written = 0;
  /** Bytes handed to the sink so far. */
  flushed = 0;

  constructor(
    private readonly sink: ExportSink,
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
      this.fields = rowsShape(rows);
      this.bytes = new ByteWriter();
      this.writer = new ParquetWriter({
        writer: this.bytes,
        schema: parquetSchema(this.fields),
        createdBy: 'Magpie Studio (hyparquet-writer)',
      });
    } else {
      for (let i = 0; i < rows.length; i++) {
        const fits = fitsShape(rows[i]!, this.fields!);
        if (fits !== true)
          throw new Error(
            `Row ${this.written + i + 1} brings ${fits}, which the first ${this.groupSize.toLocaleString()} rows did not have; Parquet needs one schema for the file. Export this selection as JSONL.`,
          );
      }
    }
    if (rows.length) {
      const columnData = [...this.fields!.keys()].map((name) => ({
        name,
        data: rows.map((r) => r[name] ?? null),
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
