/**
 * Where exported bytes go. A file the user picked (File System Access API) is written as
 * the rows come and replaced only on close, so a cancelled export leaves no half file.
 * Without that API the bytes become a Blob to download or push: written to a file of the
 * origin's private file system (OPFS) through a sync access handle where the browser has
 * one (a worker writing a file directly; every Blob part instead goes to the browser's blob
 * store over IPC, which cost the export's thread and the browser's IO thread more than
 * encoding), else built from parts. Either way memory stays flat.
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

export interface SinkOptions {
  /** Blob parts even where OPFS is there (the bench's baseline of browsers without it). */
  blobParts?: boolean;
}

export async function openSink(target: ExportTarget, opts: SinkOptions = {}): Promise<ExportSink> {
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
  const file = opts.blobParts ? undefined : await opfsSink();
  if (file) return file;
  const parts = new BlobParts();
  return {
    write: async (bytes) => parts.add(bytes),
    close: async () => new Blob(parts.close(), { type: JSONL_TYPE }),
    abort: async () => parts.clear(),
  };
}

/** Where export files wait in OPFS until they are downloaded or pushed. */
const EXPORT_DIR = 'exports';
/**
 * A file another tab or an earlier visit left is removed once this old: its download or
 * push is long done (an open tab downloads the moment its export ends).
 */
const STALE_MS = 60 * 60_000;
/** This worker's last export file, removed when it starts the next one. */
let previous: { dir: FileSystemDirectoryHandle; name: string } | undefined;

type SyncHandle = {
  write(bytes: Uint8Array, opts: { at: number }): number;
  flush(): void;
  close(): void;
};
type SyncFileHandle = FileSystemFileHandle & { createSyncAccessHandle(): Promise<SyncHandle> };

/** An OPFS file written through a sync access handle, or undefined where there is none. */
async function opfsSink(): Promise<ExportSink | undefined> {
  if (
    typeof FileSystemFileHandle === 'undefined' ||
    !('createSyncAccessHandle' in FileSystemFileHandle.prototype) ||
    typeof navigator === 'undefined' ||
    !navigator.storage?.getDirectory
  )
    return undefined;
  let dir: FileSystemDirectoryHandle;
  let handle: SyncFileHandle;
  let access: SyncHandle;
  const name = `${Date.now()}-${crypto.randomUUID()}.jsonl`;
  try {
    const root = await navigator.storage.getDirectory();
    dir = await root.getDirectoryHandle(EXPORT_DIR, { create: true });
    await dropOldExports(dir);
    handle = (await dir.getFileHandle(name, { create: true })) as SyncFileHandle;
    access = await handle.createSyncAccessHandle();
  } catch {
    return undefined; // no OPFS here (a private window may refuse it): Blob parts
  }
  previous = { dir, name };
  let at = 0;
  return {
    write: async (bytes) => {
      // A write may take fewer bytes than given; a full disk throws (QuotaExceededError).
      for (let done = 0; done < bytes.length;) {
        const took = access.write(bytes.subarray(done), { at: at + done });
        if (!took) throw new Error('The export file took no more bytes.');
        done += took;
      }
      at += bytes.length;
    },
    close: async () => {
      access.flush();
      access.close();
      // The file as a Blob of the export's type; its bytes stay in OPFS, not copied.
      return new Blob([await handle.getFile()], { type: JSONL_TYPE });
    },
    abort: async () => {
      access.close();
      await dir.removeEntry(name).catch(() => undefined);
    },
  };
}

/** This worker's previous export file, and any other left longer than STALE_MS. */
async function dropOldExports(dir: FileSystemDirectoryHandle): Promise<void> {
  if (previous) await previous.dir.removeEntry(previous.name).catch(() => undefined);
  previous = undefined;
  const now = Date.now();
  const names: string[] = [];
  for await (const [name] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>)
    names.push(name);
  for (const name of names) {
    const madeAt = Number(name.split('-')[0]);
    // A file open for writing in another tab refuses removal: it is that tab's, left alone.
    if (!(now - madeAt < STALE_MS)) await dir.removeEntry(name).catch(() => undefined);
  }
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
