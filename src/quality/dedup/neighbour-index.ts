/**
 * Near-duplicate bookkeeping, shared by the text (MinHash) and semantic (embedding)
 * methods. Records with the same normalised instruction form one group (exact
 * duplicates: distance 0, compared once); groups meet their candidate neighbours through
 * LSH buckets, and close pairs are joined into clusters (union-find) whose first member
 * is the earliest record. Adding records is incremental: each addition marks the groups
 * whose fields changed, so a caller writes only those records. The full pass is the same
 * code fed every record in order.
 *
 * Fields, per record (Magpie's names):
 *   min_neighbor_distance  0 with an exact duplicate, else 1 - the best similarity to
 *                          any LSH candidate (1 when none: no near neighbour exists)
 *   repeat_count           other records closer than the threshold (among the
 *                          candidates compared, see MAX_CANDIDATES)
 *   min_similar_uuid       the earliest record of its cluster (its own uuid when first)
 */

import { Clusters } from './clusters';
import { LshBuckets } from './lsh-buckets';

/** Per-group signatures for one method (MinHash, embeddings). */
export interface SignatureStore<T> {
  readonly bands: number;
  put(group: number, item: T): void;
  /** Hash of the group's band `band`: equal keys make candidates. */
  bandKey(group: number, band: number): number;
  /** 0..1, 1 = identical. */
  similarity(a: number, b: number): number;
}

export interface DedupFields {
  min_neighbor_distance: number;
  repeat_count: number;
  min_similar_uuid: string;
}

/**
 * Candidates compared per new instruction, newest first: like the authors' k-nearest
 * search, this bounds the work in a huge cluster of near-copies (where repeat_count then
 * counts the close ones among those compared), so a degenerate set never goes quadratic.
 */
const MAX_PER_BUCKET = 64;
const MAX_CANDIDATES = 256;

export class NeighbourIndex<T> {
  private readonly docUuid: string[] = [];
  private readonly docCreated: number[] = [];
  private readonly docGroup: number[] = [];
  private readonly byUuid = new Map<string, number>();

  private readonly groupByKey = new Map<string, number>();
  // Members of a group as a linked list (head doc, next doc): no array per group, so a
  // 300k index is a few flat arrays rather than 300k small objects for the GC to trace.
  private readonly groupSize: number[] = [];
  private readonly groupHead: number[] = [];
  private readonly docNext: number[] = [];
  private readonly bestSim: number[] = [];
  private readonly nearCount: number[] = [];
  private readonly close: (number[] | undefined)[] = [];
  private readonly stamp: number[] = [];
  private stampNow = 0;

  private readonly clusters = new Clusters(
    (a, b) => this.earlier(a, b),
    (g) => this.dirty.add(g),
  );
  private readonly buckets: LshBuckets;
  private readonly dirty = new Set<number>();

  constructor(
    private readonly store: SignatureStore<T>,
    /** Distance below which two records are duplicates. */
    readonly threshold: number,
  ) {
    this.buckets = new LshBuckets(store.bands);
  }

  get size(): number {
    return this.docUuid.length;
  }

  has(uuid: string): boolean {
    return this.byUuid.has(uuid);
  }

  /** Adds one record; `key` is its normalised instruction, `item` what the store signs. */
  add(uuid: string, createdAt: number, key: string, item: () => T): void {
    if (this.byUuid.has(uuid)) return;
    const doc = this.docUuid.length;
    this.docUuid.push(uuid);
    this.docCreated.push(createdAt);
    this.byUuid.set(uuid, doc);
    const known = this.groupByKey.get(key);
    if (known !== undefined) return this.joinGroup(doc, known);
    const g = this.groupSize.length;
    this.groupByKey.set(key, g);
    this.docGroup.push(g);
    this.groupSize.push(1);
    this.groupHead.push(doc);
    this.docNext.push(-1);
    this.bestSim.push(0);
    this.nearCount.push(0);
    this.close.push(undefined);
    this.stamp.push(0);
    this.clusters.add(g, doc);
    this.dirty.add(g);
    this.store.put(g, item());
    this.linkNeighbours(g);
    this.buckets.insert(g, (b) => this.store.bandKey(g, b));
  }

  fields(doc: number): DedupFields {
    const g = this.docGroup[doc] as number;
    const size = this.groupSize[g] as number;
    const distance = size > 1 ? 0 : 1 - (this.bestSim[g] as number);
    return {
      min_neighbor_distance: Math.round(distance * 1e4) / 1e4,
      repeat_count: size - 1 + (this.nearCount[g] as number),
      min_similar_uuid: this.docUuid[this.clusters.firstOf(g)] as string,
    };
  }

  uuidOf(doc: number): string {
    return this.docUuid[doc] as string;
  }

  createdAtOf(doc: number): number {
    return this.docCreated[doc] as number;
  }

  /** Records whose fields may have changed since the last call. */
  takeDirty(): number[] {
    const docs: number[] = [];
    for (const g of this.dirty) {
      for (let d = this.groupHead[g] as number; d !== -1; d = this.docNext[d] as number)
        docs.push(d);
    }
    this.dirty.clear();
    return docs;
  }

  /** Clusters with more than one record, and records that are not first of theirs. */
  counts(): { clusters: number; duplicates: number } {
    return this.clusters.counts();
  }

  private joinGroup(doc: number, g: number): void {
    this.docGroup.push(g);
    this.docNext.push(this.groupHead[g] as number);
    this.groupHead[g] = doc;
    this.groupSize[g] = (this.groupSize[g] as number) + 1;
    this.dirty.add(g);
    for (const h of this.close[g] ?? []) {
      this.nearCount[h] = (this.nearCount[h] as number) + 1;
      this.dirty.add(h);
    }
    this.clusters.joined(g, doc);
  }

  private linkNeighbours(g: number): void {
    const stampNow = ++this.stampNow;
    this.stamp[g] = stampNow;
    let compared = 0;
    const visit = (h: number) => {
      if (this.stamp[h] === stampNow) return true;
      this.stamp[h] = stampNow;
      this.compare(g, h);
      return ++compared < MAX_CANDIDATES;
    };
    for (let b = 0; b < this.store.bands && compared < MAX_CANDIDATES; b++) {
      this.buckets.walk(this.store.bandKey(g, b), b, MAX_PER_BUCKET, visit);
    }
  }

  private compare(g: number, h: number): void {
    const sim = this.store.similarity(g, h);
    if (sim > (this.bestSim[g] as number)) this.bestSim[g] = sim;
    if (sim > (this.bestSim[h] as number)) {
      this.bestSim[h] = sim;
      if (this.groupSize[h] === 1) this.dirty.add(h);
    }
    if (1 - sim >= this.threshold) return;
    (this.close[g] ??= []).push(h);
    (this.close[h] ??= []).push(g);
    this.nearCount[g] = (this.nearCount[g] as number) + (this.groupSize[h] as number);
    this.nearCount[h] = (this.nearCount[h] as number) + (this.groupSize[g] as number);
    this.dirty.add(h);
    this.clusters.union(g, h);
  }

  private earlier(a: number, b: number): boolean {
    const ca = this.docCreated[a] as number;
    const cb = this.docCreated[b] as number;
    return ca < cb || (ca === cb && a < b);
  }
}
