import { describe, expect, it } from 'vitest';
import { MinHashStore, normalise } from './minhash';
import { NeighbourIndex } from './neighbour-index';

/** Records in creation order: uuid = its name, createdAt = its position. */
function build(texts: Record<string, string>, threshold = 0.3, order?: string[]) {
  const index = new NeighbourIndex(new MinHashStore(), threshold);
  const names = Object.keys(texts);
  for (const name of order ?? names) {
    const key = normalise(texts[name] as string);
    index.add(name, names.indexOf(name), key, () => key);
  }
  return index;
}

function fieldsByName(index: NeighbourIndex<string>) {
  const out: Record<string, ReturnType<typeof index.fields>> = {};
  for (let d = 0; d < index.size; d++) out[index.uuidOf(d)] = index.fields(d);
  return out;
}

const SET = {
  sort2: 'How do I sort a list of 2 numbers in Python?',
  haiku: 'Write a haiku about autumn leaves falling in a quiet park.',
  sort3: 'How do I sort a list of 3 numbers in Python?',
  sortCopy: 'how do i sort a list of 2 numbers in python',
  tax: 'Explain the difference between a Roth IRA and a traditional IRA for a 30-year-old.',
  haiku2: 'Write a haiku about autumn leaves falling in a quiet garden.',
};

describe('near-duplicates on a constructed set with known answers', () => {
  const f = fieldsByName(build(SET));

  it('an exact duplicate (case and punctuation aside) is at distance 0', () => {
    expect(f.sort2?.min_neighbor_distance).toBe(0);
    expect(f.sortCopy?.min_neighbor_distance).toBe(0);
  });

  it('counts every record closer than the threshold', () => {
    // sort2, sort3 and sortCopy are all within 0.3 of each other.
    expect(f.sort2?.repeat_count).toBe(2);
    expect(f.sort3?.repeat_count).toBe(2);
    expect(f.sortCopy?.repeat_count).toBe(2);
    expect(f.haiku?.repeat_count).toBe(1);
    expect(f.tax?.repeat_count).toBe(0);
  });

  it('a near-duplicate gets 1 - estimated Jaccard to its nearest neighbour', () => {
    const d = f.sort3?.min_neighbor_distance ?? 1;
    expect(d).toBeGreaterThan(0.05);
    expect(d).toBeLessThan(0.3);
    expect(f.haiku?.min_neighbor_distance).toBeLessThan(0.3);
  });

  it('a record with no near neighbour is at distance 1 and is its own cluster', () => {
    expect(f.tax?.min_neighbor_distance).toBe(1);
    expect(f.tax?.min_similar_uuid).toBe('tax');
  });

  it('every member points at the earliest record of its cluster', () => {
    expect(f.sort2?.min_similar_uuid).toBe('sort2');
    expect(f.sort3?.min_similar_uuid).toBe('sort2');
    expect(f.sortCopy?.min_similar_uuid).toBe('sort2');
    expect(f.haiku?.min_similar_uuid).toBe('haiku');
    expect(f.haiku2?.min_similar_uuid).toBe('haiku');
  });

  it('counts clusters and the records that are not first of theirs', () => {
    expect(build(SET).counts()).toEqual({ clusters: 2, duplicates: 3 });
  });
});

describe('incremental additions', () => {
  it('give the same fields as one pass, whatever the arrival order', () => {
    const onePass = fieldsByName(build(SET));
    const reversed = fieldsByName(build(SET, 0.3, Object.keys(SET).reverse()));
    expect(reversed).toEqual(onePass);
  });

  it('a record bridging two clusters moves the later cluster onto the earlier first', () => {
    const texts = {
      // True 5-gram Jaccard: a-b 0.74, b-c 0.77, a-c 0.57.
      a: 'Which vegetables grow well on a small balcony facing north in Copenhagen during the short summer?',
      c: 'Which vegetables grow well on a small balcony facing north in Barcelona during the long winter?',
      b: 'Which vegetables grow well on a small balcony facing north in Barcelona during the short summer?',
    };
    // Threshold 0.4: duplicates above Jaccard 0.6 (b's estimates: 0.77 to a, 0.69 to c; a-c 0.47).
    const index = new NeighbourIndex(new MinHashStore(), 0.4);
    const add = (name: 'a' | 'b' | 'c', at: number) => {
      const key = normalise(texts[name]);
      index.add(name, at, key, () => key);
    };
    add('a', 1);
    add('c', 3);
    const names = (docs: number[]) => docs.map((d) => index.uuidOf(d)).sort();
    expect(names(index.takeDirty())).toEqual(['a', 'c']);
    expect(index.fields(1).min_similar_uuid).toBe('c');

    add('b', 2);
    // b is close to both: a, b, c form one cluster whose first is a.
    expect(index.fields(1).min_similar_uuid).toBe('a');
    expect(index.fields(2).min_similar_uuid).toBe('a');
    expect(names(index.takeDirty())).toEqual(['a', 'b', 'c']);
  });

  it('an exact duplicate arriving later changes its group and the neighbours it is close to', () => {
    const index = build({ x: SET.sort2, y: SET.sort3, z: SET.tax });
    index.takeDirty();
    const key = normalise(SET.sort2);
    index.add('x2', 10, key, () => key);
    const dirty = index
      .takeDirty()
      .map((d) => index.uuidOf(d))
      .sort();
    expect(dirty).toEqual(['x', 'x2', 'y']);
    const f = fieldsByName(index);
    expect(f.x).toEqual({ min_neighbor_distance: 0, repeat_count: 2, min_similar_uuid: 'x' });
    expect(f.x2?.min_similar_uuid).toBe('x');
    expect(f.y?.repeat_count).toBe(2);
  });

  it('a record stored with an earlier timestamp becomes the first of its cluster', () => {
    const index = build({ late: SET.sort2 });
    const key = normalise(SET.sort3);
    index.add('early', -5, key, () => key);
    expect(index.fields(0).min_similar_uuid).toBe('early');
    expect(index.fields(1).min_similar_uuid).toBe('early');
  });
});

describe('counts kept as records arrive', () => {
  /** The counts as the fields say them: clusters by their first record, and records not first. */
  function countedFromFields(index: NeighbourIndex<string>) {
    const members = new Map<string, number>();
    let duplicates = 0;
    for (let d = 0; d < index.size; d++) {
      const first = index.fields(d).min_similar_uuid;
      members.set(first, (members.get(first) ?? 0) + 1);
      if (first !== index.uuidOf(d)) duplicates++;
    }
    return { clusters: [...members.values()].filter((n) => n > 1).length, duplicates };
  }

  it('agree with the fields after every addition: exact copies, near ones, and clusters joined', () => {
    const texts = [
      ...Object.values(SET),
      SET.sort2.toUpperCase(),
      SET.haiku2,
      // Bridges: each close to the one before, so clusters grow and then merge.
      'Which vegetables grow well on a small balcony facing north in Copenhagen during the short summer?',
      'Which vegetables grow well on a small balcony facing north in Barcelona during the long winter?',
      'Which vegetables grow well on a small balcony facing north in Barcelona during the short summer?',
      SET.tax,
      'A question nothing else here is like: how do tides depend on the moon?',
    ];
    for (const order of [texts, [...texts].reverse()]) {
      const index = new NeighbourIndex(new MinHashStore(), 0.4);
      order.forEach((text, i) => {
        const key = normalise(text);
        index.add(`r${i}`, i, key, () => key);
        expect(index.counts()).toEqual(countedFromFields(index));
      });
      expect(index.counts().clusters).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('scale', () => {
  it('finds planted near-copies among 10,000 instructions', () => {
    const index = new NeighbourIndex(new MinHashStore(), 0.3);
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const syllables = 'ka lo mi ne ru sa te vo pi da fe gu ran tel mor bin sul chi'.split(' ');
    const word = () =>
      Array.from(
        { length: 2 + Math.floor(rand() * 2) },
        () => syllables[Math.floor(rand() * syllables.length)],
      ).join('');
    const base = Array.from({ length: 10_000 }, () =>
      Array.from({ length: 12 + Math.floor(rand() * 12) }, word).join(' '),
    );
    base.forEach((text, i) => index.add(`r${i}`, i, normalise(text), () => normalise(text)));
    // 100 near-copies: one word of an earlier instruction replaced.
    for (let i = 0; i < 100; i++) {
      const words = (base[i * 97] as string).split(' ');
      words[3] = 'zenostpra';
      const text = normalise(words.join(' '));
      index.add(`copy${i}`, 20_000 + i, text, () => text);
    }
    let found = 0;
    for (let i = 0; i < 100; i++) {
      if (index.fields(10_000 + i).min_similar_uuid === `r${i * 97}`) found++;
    }
    let unrelatedClustered = 0;
    for (let d = 0; d < 10_000; d++) {
      if (index.fields(d).min_similar_uuid !== index.uuidOf(d)) unrelatedClustered++;
    }
    expect(found).toBeGreaterThanOrEqual(95);
    expect(unrelatedClustered).toBe(0);
  });
});
