/**
 * Derived states of many records to one value (DerivedPack, derived-row.ts). A write that
 * changes every record of a large dataset (the first near-duplicate pass after an import, a
 * recipe applied) would otherwise store a row per record, and every whole read after it (an
 * export, the next pass) would read them all back: Chromium's cost is per value. A pack
 * holds whole states (the writer merged each record's current one), so a record's state is
 * simply the newer by stamp of its row and its pack entry. Packs are written, never
 * changed; one whose every entry a newer pack replaced goes.
 */
import { changeClock, type MagpieDB, type StoredRecord } from './db';
import type { DerivedPack, RecordDerived } from './derived-row';

/** Entries to a pack: a pack is a chunk of a pass's writes (one transaction), as rows were. */
export const PACK_ENTRIES = 2000;

/**
 * From this many changed records on, a write stores derived packs instead of a row each.
 * Below it (a catch-up's few records, a review), rows: cheaper to write alone, and a whole
 * read of many small packs would cost what rows cost.
 */
export const PACKED_FROM = 5000;

/** The newer of two states by stamp (a state without one is older than any). */
export function newerState(
  a: RecordDerived | undefined,
  b: RecordDerived | undefined,
): RecordDerived | undefined {
  if (!a) return b;
  if (!b) return a;
  return (b.changedAt ?? -Infinity) > (a.changedAt ?? -Infinity) ? b : a;
}

/** A pack of these states, each with the createdAt of its record, in createdAt order. */
export function makeDerivedPack(
  datasetId: string,
  entries: { state: RecordDerived; recordAt: number }[],
): DerivedPack {
  const sorted = [...entries].sort((a, b) => a.recordAt - b.recordAt);
  const n = sorted.length;
  const pack: DerivedPack = {
    id: crypto.randomUUID(),
    datasetId,
    first: sorted[0]!.recordAt,
    last: sorted[n - 1]!.recordAt,
    uuids: new Array<string>(n),
    recordAt: new Float64Array(n),
    fields: new Array<string>(n),
    method: new Array<DerivedPack['method'][number]>(n),
    distance: new Float64Array(n),
    repeat: new Uint32Array(n),
    similar: new Array<string>(n),
  };
  sorted.forEach(({ state, recordAt }, i) => {
    const near = state.nearDup;
    pack.uuids[i] = state.uuid;
    pack.recordAt[i] = recordAt;
    pack.fields[i] = Object.keys(state.fields).length ? JSON.stringify(state.fields) : '';
    pack.method[i] = near?.method ?? '';
    pack.distance[i] = near?.min_neighbor_distance ?? 0;
    pack.repeat[i] = near?.repeat_count ?? 0;
    pack.similar[i] = !near || near.min_similar_uuid === state.uuid ? '' : near.min_similar_uuid;
  });
  return pack;
}

/** Entry i of a pack as a state, stamped with the pack's stamp. */
function entryState(pack: DerivedPack, i: number): RecordDerived {
  const uuid = pack.uuids[i]!;
  const fields = pack.fields[i];
  const method = pack.method[i];
  return {
    uuid,
    datasetId: pack.datasetId,
    changedAt: pack.changedAt,
    fields: fields ? (JSON.parse(fields) as RecordDerived['fields']) : {},
    ...(method && {
      nearDup: {
        min_neighbor_distance: pack.distance[i]!,
        repeat_count: pack.repeat[i]!,
        min_similar_uuid: pack.similar[i] || uuid,
        method,
      },
    }),
  };
}

/** The entries of some packs by uuid: where several packs hold one, the newest's. */
export class PackedStates {
  private readonly at = new Map<string, { pack: DerivedPack; i: number }>();

  constructor(packs: readonly DerivedPack[] = []) {
    this.add(packs);
  }

  /** Takes in more packs (newer ones replace the entries they hold). */
  add(packs: readonly DerivedPack[]): void {
    for (const pack of packs)
      for (let i = 0; i < pack.uuids.length; i++) {
        const held = this.at.get(pack.uuids[i]!);
        if (!held || (held.pack.changedAt ?? 0) <= (pack.changedAt ?? 0))
          this.at.set(pack.uuids[i]!, { pack, i });
      }
  }

  get size(): number {
    return this.at.size;
  }

  /**
   * The state a pack holds for this uuid; with `createdAt`, only if it was written about
   * that record (not an earlier record of the same uuid, deleted since).
   */
  get(uuid: string, createdAt?: number): RecordDerived | undefined {
    const held = this.at.get(uuid);
    if (!held) return undefined;
    if (createdAt !== undefined && held.pack.recordAt[held.i] !== createdAt) return undefined;
    return entryState(held.pack, held.i);
  }

  /** Whether this pack holds the state of none of its uuids any more. */
  replaced(pack: DerivedPack): boolean {
    return pack.uuids.every((uuid) => this.at.get(uuid)?.pack.id !== pack.id);
  }
}

/** A dataset's packs stamped at or after `since`. */
const packsFrom = (db: MagpieDB, datasetId: string, since: number) =>
  db.derivedPacks
    .where('[datasetId+changedAt]')
    .between([datasetId, since], [datasetId, Infinity], true, true);

export function derivedPacksSince(
  db: MagpieDB,
  datasetId: string,
  since: number,
): Promise<DerivedPack[]> {
  return packsFrom(db, datasetId, since).toArray();
}

/** Every derived pack of a dataset. */
export const datasetDerivedPacks = (db: MagpieDB, datasetId: string) =>
  derivedPacksSince(db, datasetId, -Infinity);

/** Deletes a dataset's packs (the dataset or all its records going), here and in packsKnown. */
export async function deleteDerivedPacks(db: MagpieDB, datasetId: string): Promise<void> {
  await packsFrom(db, datasetId, -Infinity).delete();
  knownPacks.get(db)?.delete(datasetId);
}

/**
 * The pack entries of these records: per dataset, the packs whose records' time overlaps
 * theirs, found by keys alone (new records, newer than every pack, read none).
 */
export async function packedStatesFor(
  db: MagpieDB,
  records: readonly Pick<StoredRecord, 'datasetId' | 'createdAt'>[],
): Promise<PackedStates> {
  const spans = new Map<string, [number, number]>();
  for (const r of records) {
    const span = spans.get(r.datasetId);
    if (!span) spans.set(r.datasetId, [r.createdAt, r.createdAt]);
    else {
      if (r.createdAt < span[0]) span[0] = r.createdAt;
      if (r.createdAt > span[1]) span[1] = r.createdAt;
    }
  }
  const states = new PackedStates();
  for (const [ds, [min, max]] of spans) {
    const [endsAfter, startsBefore] = await Promise.all([
      db.derivedPacks
        .where('[datasetId+last]')
        .between([ds, min], [ds, Infinity], true, true)
        .primaryKeys(),
      db.derivedPacks
        .where('[datasetId+first]')
        .between([ds, -Infinity], [ds, max], true, true)
        .primaryKeys(),
    ]);
    if (!endsAfter.length || !startsBefore.length) continue;
    const before = new Set(startsBefore);
    const ids = endsAfter.filter((id) => before.has(id));
    if (ids.length)
      states.add((await db.derivedPacks.bulkGet(ids)).filter((p): p is DerivedPack => !!p));
  }
  return states;
}

/** Deletes a dataset's packs whose every entry a newer pack holds. Answers how many went. */
export async function dropReplacedPacks(db: MagpieDB, datasetId: string): Promise<number> {
  return db.transaction('rw', db.derivedPacks, async () => {
    const packs = await datasetDerivedPacks(db, datasetId);
    const states = new PackedStates(packs);
    const gone = packs.filter((p) => states.replaced(p)).map((p) => p.id);
    await db.derivedPacks.bulkDelete(gone);
    return gone.length;
  });
}

/**
 * A dataset's pack entries as a writer knows them: every pack at its first search, then
 * only those stamped since the search before (its own among them). Kept per connection
 * (packsKnown), so a writer merging a few records' states (a catch-up, a review) finds
 * their entries without reading the packs that hold them, scattered over the dataset.
 */
class PacksKnown {
  readonly states = new PackedStates();
  private upTo = -Infinity;

  /** Run inside the writing transaction, like RowsWrittenSince.search (derived.ts). */
  async search(db: MagpieDB, datasetId: string): Promise<PackedStates> {
    // Both asked at once, the clock first: requests of one transaction run in order, and
    // the clock's read is native, so awaiting it first would lose the transaction's zone.
    const [now, packs] = await Promise.all([
      changeClock(db),
      derivedPacksSince(db, datasetId, this.upTo),
    ]);
    this.states.add(packs);
    this.upTo = now;
    return this.states;
  }
}

const knownPacks = new WeakMap<MagpieDB, Map<string, PacksKnown>>();

/** This connection's PacksKnown of a dataset (it holds the entries: a few MB at 300,000). */
export function packsKnown(db: MagpieDB, datasetId: string): PacksKnown {
  let byDataset = knownPacks.get(db);
  if (!byDataset) knownPacks.set(db, (byDataset = new Map()));
  let known = byDataset.get(datasetId);
  if (!known) byDataset.set(datasetId, (known = new PacksKnown()));
  return known;
}
