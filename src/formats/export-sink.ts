/**
 * Where exported bytes go. A file the user picked (File System Access API) is written as
 * the rows come and replaced only on close, so a cancelled export leaves no half file.
 * Without that API the bytes become a Blob built from parts: each part leaves the JS heap
 * (the browser keeps blob data outside it, on disk when large), so memory stays flat.
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
  let parts: Blob[] = [];
  return {
    write: async (bytes) => {
      parts.push(new Blob([bytes]));
    },
    close: async () => new Blob(parts, { type: JSONL_TYPE }),
    abort: async () => {
      parts = [];
    },
  };
}
