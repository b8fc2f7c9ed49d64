/**
 * Duplicate clusters over groups: union-find whose roots know the cluster's first record
 * (earliest by `earlier`) and list their member groups, so when the first changes the
 * caller can rewrite exactly the groups of that cluster. The counts a pass reports are kept
 * as records arrive, so a catch-up of a few records does not walk every cluster.
 */
export class Clusters {
  private readonly parent: number[] = [];
  private readonly first: number[] = [];
  private readonly nextMember: number[] = [];
  private readonly tail: number[] = [];
  private readonly size: number[] = [];
  /** Records in each root's cluster. */
  private readonly records: number[] = [];
  private roots = 0;
  private recordsIn = 0;
  /** Roots whose cluster holds more than one record. */
  private multi = 0;

  constructor(
    /** Whether record `a` comes before record `b` (creation order). */
    private readonly earlier: (a: number, b: number) => boolean,
    /** Told each group whose cluster's first record changed. */
    private readonly changed: (group: number) => void,
  ) {}

  /** A new group, alone in its cluster, first record `doc`. */
  add(group: number, doc: number): void {
    this.parent[group] = group;
    this.first[group] = doc;
    this.nextMember[group] = -1;
    this.tail[group] = group;
    this.size[group] = 1;
    this.records[group] = 1;
    this.roots++;
    this.recordsIn++;
  }

  /** The first record of `group`'s cluster. */
  firstOf(group: number): number {
    return this.first[this.find(group)] as number;
  }

  /** `doc` joined `group`: it may be the cluster's new first record. */
  joined(group: number, doc: number): void {
    const root = this.find(group);
    this.recordsIn++;
    const records = (this.records[root] as number) + 1;
    this.records[root] = records;
    if (records === 2) this.multi++;
    if (!this.earlier(doc, this.first[root] as number)) return;
    this.first[root] = doc;
    this.markAll(root);
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size[ra] as number) < (this.size[rb] as number)) [ra, rb] = [rb, ra];
    const firstA = this.first[ra] as number;
    const firstB = this.first[rb] as number;
    // Whichever side's first record is no longer first gets rewritten.
    if (this.earlier(firstB, firstA)) {
      this.markAll(ra);
      this.first[ra] = firstB;
    } else {
      this.markAll(rb);
    }
    this.parent[rb] = ra;
    this.nextMember[this.tail[ra] as number] = rb;
    this.tail[ra] = this.tail[rb] as number;
    this.size[ra] = (this.size[ra] as number) + (this.size[rb] as number);
    const inA = this.records[ra] as number;
    const inB = this.records[rb] as number;
    this.multi += 1 - Number(inA > 1) - Number(inB > 1);
    this.records[ra] = inA + inB;
    this.roots--;
  }

  /** Clusters of more than one record, and the records that are not first of theirs. */
  counts(): { clusters: number; duplicates: number } {
    return { clusters: this.multi, duplicates: this.recordsIn - this.roots };
  }

  private find(g: number): number {
    let root = g;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    while (this.parent[g] !== root) {
      const next = this.parent[g] as number;
      this.parent[g] = root;
      g = next;
    }
    return root;
  }

  private markAll(root: number): void {
    for (let h = root; h !== -1; h = this.nextMember[h] as number) this.changed(h);
  }
}
