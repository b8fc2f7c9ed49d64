/**
 * LSH buckets in flat typed arrays: an open-addressing table from a band key to the
 * newest group in that bucket, and per (group, band) a link to the previous one. Adding
 * a group is O(bands); walking a bucket goes newest first. Two bands whose keys collide
 * share a chain: harmless, a candidate is always checked by its similarity.
 */
export class LshBuckets {
  private keys = new Uint32Array(1 << 12);
  /** Newest group + 1 in the bucket (0 = empty slot). */
  private heads = new Int32Array(1 << 12);
  private used = 0;
  /** Per group and band: the previous group + 1 in the same bucket (0 = end). */
  private next = new Int32Array(1 << 12);

  constructor(readonly bands: number) {}

  /** Calls `visit` on the groups sharing band `band`'s `key`, newest first, at most `max`. */
  walk(key: number, band: number, max: number, visit: (group: number) => boolean): void {
    let walked = 0;
    for (let h1 = this.heads[this.slot(key)] as number; h1 !== 0 && walked < max; walked++) {
      const h = h1 - 1;
      h1 = this.next[h * this.bands + band] as number;
      if (!visit(h)) return;
    }
  }

  insert(group: number, keyOf: (band: number) => number): void {
    const bands = this.bands;
    if ((group + 1) * bands > this.next.length) {
      const grown = new Int32Array(Math.max((group + 1) * bands, this.next.length * 2));
      grown.set(this.next);
      this.next = grown;
    }
    for (let b = 0; b < bands; b++) {
      if ((this.used + 1) * 2 > this.keys.length) this.grow();
      const key = keyOf(b);
      const slot = this.slot(key);
      if (this.heads[slot] === 0) {
        this.keys[slot] = key;
        this.used++;
      }
      this.next[group * bands + b] = this.heads[slot] as number;
      this.heads[slot] = group + 1;
    }
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let slot = key & mask;
    while (this.heads[slot] !== 0 && this.keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldHeads = this.heads;
    this.keys = new Uint32Array(oldKeys.length * 2);
    this.heads = new Int32Array(oldKeys.length * 2);
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldHeads[i] === 0) continue;
      const slot = this.slot(oldKeys[i] as number);
      this.keys[slot] = oldKeys[i] as number;
      this.heads[slot] = oldHeads[i] as number;
    }
  }
}
