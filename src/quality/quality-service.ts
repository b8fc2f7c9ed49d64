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
import { getDb, type MagpieDB } from '../store/db';
import { loadEmbedder } from './dedup/embedder';
import { semanticPass, type LoadEmbedder } from './dedup/semantic-dedup';
import { TextDedup } from './dedup/text-dedup';
import { applyRecipe, recipeFunnel } from './recipe/recipe-job';
import { scanQuality, type RecipeData } from './summary';

const stopped = () =>
  new EngineError('aborted', 'Finding near-duplicates was stopped.', 'Start it again when ready.');

/** Runs `work` now, or once more after the run in progress: callers share the result. */
class Latest<T> {
  private running?: Promise<T>;
  private next?: Promise<T>;

  run(work: () => Promise<T>): Promise<T> {
    if (!this.running) {
      this.running = work().finally(() => (this.running = undefined));
      return this.running;
    }
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.run(work);
      });
    return this.next;
  }
}

export class QualityService implements QualityApi {
  private readonly text = new Map<string, TextDedup>();
  /** Per dataset: one scan at a time however often the page asks (pairs arrive fast). */
  private readonly scans = new Map<
    string,
    Latest<{ summary: QualitySummary; recipe: RecipeData }>
  >();
  /** The recipe rows of each dataset's latest scan, for previews while steps change. */
  private readonly recipeRows = new Map<string, RecipeData>();
  private chain: Promise<unknown> = Promise.resolve();
  private current?: AbortController;
  private pendingCatchUp = new Map<string, Promise<Outcome<DedupResult | null>>>();

  constructor(
    private readonly db: MagpieDB = getDb(),
    private readonly load: LoadEmbedder = loadEmbedder,
  ) {}

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
        const dedup = new TextDedup(this.db, datasetId, options.threshold);
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
        dedup = new TextDedup(this.db, datasetId, DEFAULT_TEXT_THRESHOLD);
        this.text.set(datasetId, dedup);
      }
      return dedup.catchUp(signal);
    });
    this.pendingCatchUp.set(datasetId, next);
    return next;
  }

  async cancelDuplicates(): Promise<void> {
    this.current?.abort();
  }

  summary(datasetId: string): Promise<Outcome<QualitySummary>> {
    return outcome(async () => (await this.scan(datasetId)).summary);
  }

  /** From the latest scan's rows (summary() refreshes them), else a scan now. */
  previewRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<Funnel>> {
    return outcome(async () => {
      const rows = this.recipeRows.get(datasetId) ?? (await this.scan(datasetId)).recipe;
      return recipeFunnel(rows, steps);
    });
  }

  applyRecipe(datasetId: string, steps: RecipeSteps): Promise<Outcome<ApplyResult>> {
    this.recipeRows.delete(datasetId);
    return outcome(() => applyRecipe(this.db, datasetId, steps));
  }

  private scan(datasetId: string) {
    let latest = this.scans.get(datasetId);
    if (!latest) this.scans.set(datasetId, (latest = new Latest()));
    return latest.run(async () => {
      const result = await scanQuality(this.db, datasetId);
      this.recipeRows.set(datasetId, result.recipe);
      return result;
    });
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
