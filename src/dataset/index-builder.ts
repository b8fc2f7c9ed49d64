/**
 * An index built by a writer that holds every record of a dataset as it stores them (an
 * import into a new dataset): the records go into a DatasetIndex as they are stored and the
 * index is saved at the end, so the dataset worker opens the dataset from the saved index
 * instead of reading every record back (a second full read of 300,000 records).
 */
import * as Comlink from 'comlink';
import { changeClock, type MagpieDB, type StoredRecord } from '../store/db';
import { DatasetIndex } from './dataset-index';
import { saveIndex } from './persist';
import { TextIndex } from './text-index';
import type { TextIndexWorkerApi } from './text-index.worker';

export class IndexBuilder {
  private readonly ix: DatasetIndex;
  private readonly words: ForwardedText | undefined;

  /**
   * `textWorker`: the word index is built in a worker of its own (where workers can start),
   * so the writer's thread, the import's longest chain, only hands it each batch's texts.
   */
  constructor(datasetId: string, opts: { textWorker?: boolean } = {}) {
    this.words = opts.textWorker && typeof Worker !== 'undefined' ? new ForwardedText() : undefined;
    this.ix = new DatasetIndex(datasetId, undefined, this.words);
  }

  /** Records as stored (with the change stamp the store set on them). */
  add(records: readonly StoredRecord[]): void {
    for (const r of records) this.ix.upsert(r);
    this.words?.send();
  }

  /**
   * Saves the index as complete. Called after the last record is stored: every change
   * stamped below the change clock now is in it, so the reader's catch-up finds nothing to read.
   */
  async save(db: MagpieDB): Promise<void> {
    if (this.words) this.ix.text = await this.words.built();
    this.ix.scanBefore = null;
    this.ix.watermark = await changeClock(db);
    await saveIndex(db, this.ix);
  }

  /** Stops the word index's worker (after save, or when the import ends without one). */
  close(): void {
    this.words?.close();
  }
}

/**
 * The index's text as the import's DatasetIndex sees it: texts are gathered a batch at a
 * time and sent to the word index's worker, which gives the sealed segments back at the end.
 */
class ForwardedText extends TextIndex {
  private readonly worker = new Worker(new URL('./text-index.worker.ts', import.meta.url), {
    type: 'module',
    name: 'magpie-text-index',
  });
  private readonly remote = Comlink.wrap<TextIndexWorkerApi>(this.worker);
  private ords: number[] = [];
  private texts: string[] = [];
  /** The last batch sent: a failed one fails the save. */
  private sending: Promise<void> = Promise.resolve();
  private readonly died = new Promise<never>((_, reject) =>
    this.worker.addEventListener('error', (e) =>
      reject(new Error(`The word index's worker stopped: ${e.message}`)),
    ),
  );

  constructor() {
    super();
    this.died.catch(() => undefined); // raised by built()
  }

  override add(ord: number, text: string): void {
    this.ords.push(ord);
    this.texts.push(text);
  }

  send(): void {
    if (!this.ords.length) return;
    this.sending = Promise.all([this.sending, this.remote.add(this.ords, this.texts)]).then(
      () => undefined,
    );
    this.sending.catch(() => undefined); // awaited by built()
    this.ords = [];
    this.texts = [];
  }

  /** The word index, sealed, with every segment to be saved. */
  async built(): Promise<TextIndex> {
    this.send();
    const segments = await Promise.race([this.sending.then(() => this.remote.seal()), this.died]);
    const text = new TextIndex(segments);
    for (const s of segments) text.unsaved.add(s.id);
    return text;
  }

  close(): void {
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
