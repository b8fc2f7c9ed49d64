/**
 * The rows of one view the page has fetched, in blocks of BLOCK around where the user
 * is. The page never holds more than MAX_BLOCKS blocks: the worker has the view, the
 * page only what is on (or near) the screen.
 */
import type { RowSummary } from '../../../shared/explorer-api';
import { callDataset } from '../../lib/dataset-worker';

const BLOCK = 50;
const MAX_BLOCKS = 40;

export class RowCache {
  private blocks = new Map<number, (RowSummary | null)[]>();
  private loading = new Set<number>();
  private listeners = new Set<() => void>();
  error: string | undefined;

  constructor(
    readonly queryId: number,
    readonly total: number,
  ) {}

  /** undefined: not fetched yet; null: the record was deleted since the view was made. */
  get(index: number): RowSummary | null | undefined {
    return this.blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK];
  }

  /** Where a fetched row is in this view, or undefined when it is not among the fetched. */
  indexOf(uuid: string): number | undefined {
    for (const [block, rows] of this.blocks) {
      const i = rows.findIndex((r) => r?.uuid === uuid);
      if (i >= 0) return block * BLOCK + i;
    }
    return undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches the blocks covering [from, to) that are missing; resolves when they are in. */
  async ensure(from: number, to: number): Promise<void> {
    const first = Math.max(0, Math.floor(from / BLOCK));
    const last = Math.min(Math.ceil(this.total / BLOCK) - 1, Math.floor((to - 1) / BLOCK));
    const wanted: number[] = [];
    for (let b = first; b <= last; b++)
      if (!this.blocks.has(b) && !this.loading.has(b)) wanted.push(b);
    await Promise.all(wanted.map((b) => this.load(b)));
    this.evict((first + last) / 2);
  }

  private async load(block: number): Promise<void> {
    this.loading.add(block);
    try {
      const rows = await callDataset((api) =>
        api.rows(this.queryId, block * BLOCK, Math.min(this.total, (block + 1) * BLOCK)),
      );
      this.blocks.set(block, rows);
      this.error = undefined;
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.loading.delete(block);
      this.listeners.forEach((l) => l());
    }
  }

  private evict(around: number): void {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const far = [...this.blocks.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
    for (const b of far.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(b);
  }
}
