/**
 * Where exported bytes go. A file the user picked (File System Access API) is written as
 * the rows come and replaced only on close, so a cancelled export leaves no half file.
 * Without that API the bytes become a Blob built from parts: each part leaves the JS heap
 * (the browser keeps blob data outside it, on disk when large), so memory stays flat (one
 * part gathered at a time).
 */
import type { ExportTarget } from '../shared/transfer-api';

export interface ExportSink {
  /** The caller may reuse `bytes` once the returned promise resolves. */
  write(bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  /** Finishes the file; the Blob when the target was one. */
  close(): Promise<Blob | undefined>;
  /** Drops what was written. */
  abort(): Promise<void>;
}

const JSONL_TYPE = 'application/jsonl';

export async function openSink(target: ExportTarget): Promise<ExportSink> {
  if (target.kind === 'file') {
    const stream = await target.handle.createWritable();
    return {
      write: (bytes) => stream.write(bytes),
      close: async () => {
        await stream.close();
        return undefined;
      },
      abort: () => stream.abort(),
    };
  }
  const parts = new BlobParts();
  return {
    write: async (bytes) => parts.add(bytes),
    close: async () => new Blob(parts.close(), { type: JSONL_TYPE }),
    abort: async () => parts.clear(),
  };
}

/** Bytes gathered for one Blob part, at least (an export writes a few MB at a time). */
const PART_BYTES = 32 << 20;
/** Room for the write that crosses PART_BYTES. */
const SLACK_BYTES = 16 << 20;

/**
 * Writes gathered into parts of PART_BYTES and more before each becomes a Blob: making a
 * Blob costs per call as well as per byte (the bytes go to the browser's blob store), so
 * one part per written chunk cost more than encoding the chunk.
 */
class BlobParts {
  private parts: Blob[] = [];
  private buffer = new Uint8Array(0);
  private at = 0;

  add(bytes: Uint8Array): void {
    if (this.at + bytes.length > this.buffer.length) {
      // Made once at its full size, not grown by doubling: every growth copied what was
      // held into fresh memory, and first writes to fresh memory are slow (page faults).
      // Pages never written (a small export) cost nothing.
      const grown = new Uint8Array(Math.max(PART_BYTES + SLACK_BYTES, this.at + bytes.length));
      grown.set(this.buffer.subarray(0, this.at));
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
    if (this.at >= PART_BYTES) this.part();
  }

  /** The parts, the last one included; the buffer is let go. */
  close(): Blob[] {
    this.part();
    this.buffer = new Uint8Array(0);
    return this.parts;
  }

  clear(): void {
    this.parts = [];
    this.buffer = new Uint8Array(0);
    this.at = 0;
  }

  private part(): void {
    if (!this.at) return;
    this.parts.push(new Blob([this.buffer.subarray(0, this.at)]));
    this.at = 0;
  }
}
