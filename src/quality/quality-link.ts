/**
 * The pipeline worker's handle on the quality worker, which it starts on first use (a
 * nested worker: it lives and dies with the generation worker). Two jobs: hand the page
 * a channel of its own (connect), and tell the quality worker when pairs were stored, so
 * near-duplicates are found as they arrive. Notices are coalesced: at most one catch-up
 * runs, and one more follows if pairs arrived meanwhile.
 */
import * as Comlink from 'comlink';
import type { QualityApi } from '../shared/quality';

export class QualityLink {
  private remote?: Comlink.Remote<QualityApi>;
  private running = new Set<string>();
  private again = new Set<string>();
  private readonly start: () => Comlink.Remote<QualityApi>;
  /** False where workers cannot be started (Node, in unit tests): notices are dropped. */
  private readonly available: boolean;

  constructor(start?: () => Comlink.Remote<QualityApi>) {
    this.available = start !== undefined || typeof Worker !== 'undefined';
    this.start =
      start ??
      (() =>
        Comlink.wrap<QualityApi>(
          new Worker(new URL('./quality.worker.ts', import.meta.url), {
            type: 'module',
            name: 'magpie-quality',
          }),
        ));
  }

  private api(): Comlink.Remote<QualityApi> {
    this.remote ??= this.start();
    return this.remote;
  }

  async connect(port: MessagePort): Promise<void> {
    await this.api().connect(Comlink.transfer(port, [port]));
  }

  /** Pairs were stored in `datasetId`: index them (text method) when the worker is free. */
  stored(datasetId: string): void {
    if (!this.available) return;
    if (this.running.has(datasetId)) {
      this.again.add(datasetId);
      return;
    }
    this.running.add(datasetId);
    void this.api()
      .catchUp(datasetId)
      .catch(() => undefined) // the next notice retries; the Quality view offers a full pass
      .finally(() => {
        this.running.delete(datasetId);
        if (this.again.delete(datasetId)) this.stored(datasetId);
      });
  }
}
