/**
 * The dataset worker's side of QualityApi: near-duplicates (text index kept per dataset
 * for incremental catch-up), the recipe, the counts. Dedup passes run one at a time, in
 * call order, so a catch-up never interleaves with a full pass over the same records.
 * Kept free of Comlink so tests drive it directly.
 */
import { EngineError } from '../shared/engine';
import type {
  ApplyResult,
  DedupOptions,
  DedupProgress,
  DedupResult,
  Funnel,
  QualityApi,
  QualitySummary,
  RecipeSteps,
} from '../shared/quality';
import { DEFAULT_TEXT_THRESHOLD } from '../shared/quality';
import { outcome, type Outcome } from '../shared/outcome';
import type { MagpieDB } from '../store/db';
import type { AssembledRecord, RecordDerived } from '../store/derived';
import { loadEmbedder } from './dedup/embedder';
import { semanticPass, type LoadEmbedder } from './dedup/semantic-dedup';
import { TextDedup, type LiveRecords } from './dedup/text-dedup';
import type { OpenDataset } from '../dataset/open-dataset';
import type { RecipeRow } from './recipe/funnel';
import { applyRecipe, recipeFunnel } from './recipe/recipe-job';
import { recipeRows, reviewCounts, summaryOf } from './summary';

/** Where the answers come from: the dataset worker's index (ExplorerService). */
export interface DatasetIndexes {
  /** The dataset's index with every record read and every committed write in it. */
  fresh(datasetId: string): Promise<OpenDataset>;
  /** Hears every record the open dataset's index reads whole (one read serves both). */
  onRecord(listener: (record: AssembledRecord) => void): void;
  /** Derived rows just written here, as stored: into the open index without reading them back. */
  applyDerived(datasetId: string, rows: RecordDerived[]): Promise<void>;
}

const stopped = () =>
  new EngineError('aborted', 'Finding near-duplicates was stopped.', 'Start it again when ready.');

export class QualityService implements QualityApi {
  private readonly text = new Map<string, TextDedup>();
  /** The recipe's rows of one index version, so toggling steps does not rebuild them. */
  private rows: { datasetId: string; version: number; rows: RecipeRow[] } | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private current?: AbortController;
  private pendingCatchUp = new Map<string, Promise<Outcome<DedupResult | null>>>();

  constructor(
    private readonly db: MagpieDB,
    private readonly indexes: DatasetIndexes,
    private readonly load: LoadEmbedder = loadEmbedder,
  ) {
    indexes.onRecord((r) => this.text.get(r.datasetId)?.offer(r));
  }

  /**
   * The dataset's live records from its index (no count of the store): how many, and which
   * as of its last catch-up, so a pass writes without looking each record up again.
   */
  private readonly live = async (datasetId: string): Promise<LiveRecords> => {
    const { ix } = await this.indexes.fresh(datasetId);
    return {
      count: ix.aliveCount,
      holds: {
        since: ix.watermark,
        has: (uuid) => ix.cols.ordOf(uuid) !== undefined,
        rowless: (uuid) => {
          const ord = ix.cols.ordOf(uuid);
          return ord !== undefined && Number.isNaN(ix.cols.derivedAt[ord]);
        },
      },
    };
  };

  findDuplicates(
    datasetId: string,
    options: DedupOptions,
    onProgress?: (progress: DedupProgress) => void,
  ): Promise<Outcome<DedupResult>> {
    return this.serial(async (signal) => {
      const report = onProgress ?? (() => undefined);
      let result: DedupResult | null;
      if (options.method === 'semantic') {
        result = await semanticPass(this.db, datasetId, options, this.load, signal, report);
        this.text.delete(datasetId); // its next catch-up reads the new fields quietly
      } else {
        const dedup = this.textDedup(datasetId, options.threshold);
        this.text.set(datasetId, dedup);
        result = await dedup.fullPass(signal, report);
      }
      if (!result) throw stopped();
      return result;
    });
  }

  /** Coalesced: calls arriving while one waits share it. */
  catchUp(datasetId: string): Promise<Outcome<DedupResult | null>> {
    const waiting = this.pendingCatchUp.get(datasetId);
    if (waiting) return waiting;
    const next = this.serial(async (signal) => {
      this.pendingCatchUp.delete(datasetId);
      let dedup = this.text.get(datasetId);
      if (!dedup) {
        dedup = this.textDedup(datasetId, DEFAULT_TEXT_THRESHOLD);
        this.text.set(datasetId, dedup);
      }
      return dedup.catchUp(signal);
    });
    this.pendingCatchUp.set(datasetId, next);
    return next;
  }

  private textDedup(datasetId: string, threshold: number): TextDedup {
    return new TextDedup(this.db, datasetId, threshold, this.live, (rows) =>
      this.indexes.applyDerived(datasetId, rows),
    );
  }

  async cancelDuplicates(): Promise<void> {
    this.current?.abort();
  }

  summary(datasetId: string): Promise<Outcome<QualitySummary>> {
    return outcome(async () => summaryOf((await this.indexes.fresh(datasetId)).ix.cols));
  }

  previewRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<Funnel>> {
    return outcome(async () => {
      const { ix } = await this.indexes.fresh(datasetId);
      return recipeFunnel(this.recipeRows(datasetId, ix), reviewCounts(ix.cols), steps);
    });
  }

  applyRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<ApplyResult>> {
    return outcome(async () => {
      const open = await this.indexes.fresh(datasetId);
      return applyRecipe(this.db, open, this.recipeRows(datasetId, open.ix), steps);
    });
  }

  private recipeRows(datasetId: string, ix: OpenDataset['ix']): RecipeRow[] {
    if (this.rows?.datasetId !== datasetId || this.rows.version !== ix.version)
      this.rows = { datasetId, version: ix.version, rows: recipeRows(ix.cols) };
    return this.rows.rows;
  }

  private serial<T>(work: (signal: AbortSignal) => Promise<T>): Promise<Outcome<T>> {
    const run = this.chain.then(() => {
      const controller = new AbortController();
      this.current = controller;
      return outcome(() => work(controller.signal)).finally(() => {
        if (this.current === controller) this.current = undefined;
      });
    });
    this.chain = run;
    return run;
  }
}
