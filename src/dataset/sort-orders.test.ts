import { describe, expect, it } from 'vitest';
import { SORT_KEYS } from '../shared/explorer-api';
import { Columns } from './columns';
import { SortOrders } from './sort-orders';
import { prng } from '../shared/seeded';
import { varied } from './test-data';

describe('sort orders', () => {
  it('merges new ordinals into a cached order exactly as a full sort would place them', () => {
    const records = varied(600, 3);
    const cols = new Columns();
    const cached = new SortOrders(cols);
    records.slice(0, 400).forEach((r) => cols.add(r));
    for (const key of SORT_KEYS) cached.get(key);
    records.slice(400).forEach((r) => cols.add(r));
    const fresh = new SortOrders(cols);
    for (const key of SORT_KEYS) {
      const a = cached.get(key);
      const b = fresh.get(key);
      expect(a.present, key).toBe(b.present);
      expect(Array.from(a.perm), key).toEqual(Array.from(b.perm));
    }
  });

  it('patches changed values into cached orders exactly as a full sort would place them', () => {
    const records = varied(500, 4);
    const cols = new Columns();
    records.forEach((r) => cols.add(r));
    const cached = new SortOrders(cols);
    for (const key of SORT_KEYS) cached.get(key);
    const rand = prng(8);
    for (let i = 0; i < 60; i++) {
      const ord = Math.floor(rand() * records.length);
      const r = { ...records[ord]! };
      r.response_length = Math.floor(rand() * 3000);
      r.review = rand() < 0.5 ? 'kept' : 'rejected';
      if (rand() < 0.3) delete r.min_neighbor_distance;
      else r.min_neighbor_distance = rand();
      r.task_category = rand() < 0.2 ? undefined : 'Math';
      records[ord] = r;
      cols.update(ord, r);
    }
    records
      .slice(0, 20)
      .forEach((r) => cols.add({ ...r, uuid: `again-${r.uuid}`, createdAt: r.createdAt + 0.5 }));
    const fresh = new SortOrders(cols);
    for (const key of SORT_KEYS) {
      const a = cached.get(key);
      const b = fresh.get(key);
      expect(a.present, key).toBe(b.present);
      expect(Array.from(a.perm), key).toEqual(Array.from(b.perm));
    }
  });
});
