/**
 * The near-duplicate check before answering (InstructionGate): the text method's
 * MinHash-LSH (same normalisation, signatures, bands and threshold as the dataset's
 * near-duplicate fields), holding only what a yes/no needs: one signature per distinct
 * instruction and its LSH buckets. It learns the dataset's instructions from the store
 * (`learnDataset`, in the background while the run starts) and every instruction it
 * admits; a candidate closer than the threshold to any of them is refused.
 */
import type { InstructionGate } from '../../shared/near-duplicates';
import { DEFAULT_TEXT_THRESHOLD } from '../../shared/quality';
import { shownText } from '../../shared/filter';
import type { MagpieDB } from '../../store/db';
import { scanDataset } from '../../store/record-chunks';
import { LshBuckets } from './lsh-buckets';
import { MinHashStore, normalise } from './minhash';

/** Candidates compared per instruction, as in the dataset's index (bounded work). */
const MAX_PER_BUCKET = 64;

export class MinHashGate implements InstructionGate {
  private readonly signatures = new MinHashStore();
  private readonly buckets = new LshBuckets(this.signatures.bands);
  private readonly known = new Set<string>();
  private size = 0;

  constructor(
    /** Distance (1 - Jaccard of 5-grams) below which two instructions are duplicates. */
    readonly threshold = DEFAULT_TEXT_THRESHOLD,
  ) {}

  admit(instruction: string): boolean {
    const key = normalise(instruction);
    if (this.known.has(key)) return false;
    const g = this.size;
    this.signatures.put(g, key);
    if (this.hasNeighbour(g)) return false; // slot g is reused by the next candidate
    this.keep(g, key);
    return true;
  }

  /** Remembers an instruction without asking (the dataset's own records). */
  remember(instruction: string): void {
    const key = normalise(instruction);
    if (this.known.has(key)) return;
    this.signatures.put(this.size, key);
    this.keep(this.size, key);
  }

  /**
   * Reads the dataset's instructions (what the curator sees: edits included). Raw: an edit
   * is the record's own, and nothing a derived row holds changes a shown text.
   */
  async learnDataset(db: MagpieDB, datasetId: string, signal?: AbortSignal): Promise<void> {
    await scanDataset(
      db,
      datasetId,
      (page) => {
        for (const r of page) this.remember(shownText(r).instruction);
      },
      { signal, raw: true },
    );
  }

  private keep(g: number, key: string): void {
    this.known.add(key);
    this.buckets.insert(g, (b) => this.signatures.bandKey(g, b));
    this.size++;
  }

  private hasNeighbour(g: number): boolean {
    const floor = 1 - this.threshold;
    const seen = new Set<number>();
    let found = false;
    for (let b = 0; b < this.signatures.bands && !found; b++) {
      this.buckets.walk(this.signatures.bandKey(g, b), b, MAX_PER_BUCKET, (h) => {
        if (seen.has(h)) return true;
        seen.add(h);
        // Same rule as the dataset's index: a distance under the threshold is a duplicate.
        found = this.signatures.similarity(g, h) > floor;
        return !found;
      });
    }
    return found;
  }
}
