/**
 * Fixtures for the explorer's unit tests: a store seeded with synthetic records made
 * varied on purpose (edits, missing tags, reviews, colons, CJK), and the reference
 * answers computed the slow, obvious way from the records themselves.
 */
import type { SortSpec } from '../shared/explorer-api';
import {
  FACET_KEYS,
  facetValue,
  recordMatches,
  shownText,
  type ViewFilter,
} from '../shared/filter';
import type { PairRecord } from '../shared/record';
import { MagpieDB } from '../store/db';
import type { DatasetIndex } from './dataset-index';
import { sortText } from './columns';
import { facetRanks } from './sort-orders';
import { prng } from '../shared/seeded';
import { syntheticRecords } from './synthetic';

export const DS = 'ds-1';

export function varied(count: number, seed = 7): PairRecord[] {
  const make = syntheticRecords({ datasetId: DS, seed, vocabulary: 400 });
  const rand = prng(seed * 31);
  const reviews = ['unreviewed', 'unreviewed', 'kept', 'rejected'] as const;
  return Array.from({ length: count }, (_, i) => {
    const r = make(i);
    // Shorter texts keep fake-indexeddb quick; lengths stay varied.
    r.response = r.response.slice(0, 120 + Math.floor(rand() * 600));
    r.response_length = r.response.length;
    r.conversations = [
      { from: 'human', value: r.instruction },
      { from: 'gpt', value: r.response },
    ];
    r.review = reviews[Math.floor(rand() * reviews.length)]!;
    if (rand() < 0.1) r.edited = { response: `${r.response} edited zyzzyva`, at: 1 };
    if (rand() < 0.05) r.instruction = `${r.instruction.slice(0, -1)} 学习编程:`;
    if (rand() < 0.2) delete r.language;
    // Judge failures on a few records, one task or two (by index: the random stream stays).
    if (i % 13 === 5 || i % 29 === 7)
      r.tag_failure = {
        task: i % 29 === 7 ? 'input_quality, difficulty' : 'task_category',
        raw: `{"primary_tag": "Cooking ${i}"}`,
        error: 'not a category; asked twice',
        generator: 'judge-model',
        at: 1,
      };
    return r;
  });
}

/** The uuids of the records an index holds alive, sorted. */
export const aliveUuids = (ix: DatasetIndex) =>
  ix.cols.uuids.filter((_, o) => ix.cols.alive[o]).sort() as string[];
export const reviewOf = (ix: DatasetIndex, uuid: string) =>
  ix.cols.dicts.review.values[ix.cols.facets.review[ix.cols.ordOf(uuid)!]!];

/** Another tab: its own connection to the same database. */
export async function fromOtherTab(db: MagpieDB, write: (other: MagpieDB) => Promise<unknown>) {
  const other = new MagpieDB(db.name);
  try {
    await write(other);
  } finally {
    other.close();
  }
}

export async function seededDb(records: PairRecord[]): Promise<MagpieDB> {
  const db = new MagpieDB(`explorer-test-${crypto.randomUUID()}`);
  await db.records.bulkAdd(records.map((r) => ({ ...r })));
  return db;
}

/** The view as recordMatches and a plain sort define it. */
export function expectedView(records: PairRecord[], filter: ViewFilter, sort: SortSpec): string[] {
  const value = (r: PairRecord): number | string | undefined => {
    switch (sort.key) {
      case 'createdAt':
        return r.createdAt;
      case 'instruction':
      case 'response':
        return sortText(shownText(r)[sort.key]);
      default: {
        if ((FACET_KEYS as readonly string[]).includes(sort.key)) {
          const key = sort.key as (typeof FACET_KEYS)[number];
          const v = facetValue(r, key);
          if (v === '') return undefined;
          const values = [...new Set(records.map((x) => facetValue(x, key)))];
          return facetRanks(key, values)[values.indexOf(v)]!;
        }
        const v = r[sort.key as keyof PairRecord];
        return typeof v === 'number' ? v : undefined;
      }
    }
  };
  const matching = records.filter((r) => recordMatches(r, filter));
  const present = matching.filter((r) => value(r) !== undefined);
  const missing = matching.filter((r) => value(r) === undefined);
  present.sort((a, b) => {
    const va = value(a)!;
    const vb = value(b)!;
    return (va < vb ? -1 : va > vb ? 1 : 0) || a.createdAt - b.createdAt;
  });
  if (sort.desc) present.reverse();
  missing.sort((a, b) => a.createdAt - b.createdAt);
  return [...present, ...missing].map((r) => r.uuid);
}

/** Counts per facet value under the filter without that facet's own choice. */
export function expectedFacetCounts(
  records: PairRecord[],
  filter: ViewFilter,
  key: (typeof FACET_KEYS)[number],
): Record<string, number> {
  const { [key]: _own, ...others } = filter.facets ?? {};
  const counts: Record<string, number> = {};
  for (const r of records)
    if (recordMatches(r, { ...filter, facets: others })) {
      const v = facetValue(r, key);
      counts[v] = (counts[v] ?? 0) + 1;
    }
  return counts;
}
