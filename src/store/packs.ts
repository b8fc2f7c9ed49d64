/**
 * Imported records are stored packed: several hundred records to one IndexedDB value, as
 * UTF-8 JSON lines. Chromium's cost is per value stored or read (a record a value cannot
 * import 10,000 rows/s or export 50 MB/s on this machine), and a value of a few hundred
 * KB and up is kept as a blob file rather than inside LevelDB, where writing and reading
 * it costs a fraction per record. Generated records stay one row each (a run stores a few
 * pairs at a time, bounded by the model), so a dataset's records are its `records` rows and
 * its packs' records; a uuid is in one or the other, never both. Everything that reads,
 * counts or deletes records goes through the store's functions, which join the two.
 *
 * A pack is never changed in place by a record write: a packed record that is edited
 * leaves its pack for a row (an edit is rare and small), a deleted one is dropped from its
 * pack, and the pack is written again without it (stamped, so catch-ups see it). Review,
 * tags and near-duplicate values live apart in recordDerived for every record alike.
 */
import { tombstones, type MagpieDB, type StoredRecord } from './db';
import { deleteDerivedPacks } from './derived-packs';
import type { PackBody, RecordPack } from './pack-format';
import type { Turn } from '../shared/record';
import { pairTurns } from '../shared/turns';

export type { PackBody, RecordPack } from './pack-format';

/** Every table a write of records touches: a transaction that writes records takes these. */
export function recordTables(db: MagpieDB) {
  return [
    db.records,
    db.recordDerived,
    db.derivedPacks,
    db.recordDeletions,
    db.recordPacks,
    db.packBodies,
  ];
}

export const byTimeThenUuid = (a: StoredRecord, b: StoredRecord) =>
  a.createdAt - b.createdAt || (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A pack of these records (all of one dataset and one run), sorted, without its stamp. */
export function makePack(records: StoredRecord[]): { pack: RecordPack; body: PackBody } {
  const sorted = [...records].sort(byTimeThenUuid);
  const first = sorted[0]!;
  const id = crypto.randomUUID();
  const lines = sorted.map(packLine);
  return {
    pack: {
      id,
      datasetId: first.datasetId,
      runId: first.runId,
      first: first.createdAt,
      last: sorted[sorted.length - 1]!.createdAt,
      count: sorted.length,
    },
    body: { id, uuids: sorted.map((r) => r.uuid), bytes: utf8Lines(lines) },
  };
}

/**
 * Texts a record repeats are written once. An imported record holds its instruction three
 * times (itself, `instructionRaw`, the conversation's first turn) and its response twice:
 * as written, a pack line was half again the file's own line, and every byte is encoded,
 * cloned, stored and read back by each reader. A repeat is kept as the number 1 in its
 * place (key order unchanged; no real value of either field is a number), and put back by
 * `unpack`. Packs written before hold the texts themselves and read as they are.
 */
const REPEATED = 1;

function packLine(record: StoredRecord): string {
  const { changedAt: _stamp, ...rest } = record;
  const line: Record<string, unknown> = rest;
  if (isPlainPair(record)) line.conversations = REPEATED;
  if (typeof record.instructionRaw === 'string' && record.instructionRaw === record.instruction)
    line.instructionRaw = REPEATED;
  return JSON.stringify(line);
}

/** A conversation that is exactly the record's instruction and response, as the factory makes it. */
function isPlainPair(r: StoredRecord): boolean {
  const c = r.conversations;
  if (c.length !== 2) return false;
  const [ask, answer] = c as [Turn, Turn];
  return (
    ask.from === 'human' &&
    answer.from === 'gpt' &&
    ask.value === r.instruction &&
    answer.value === r.response &&
    sameKeys(ask) &&
    sameKeys(answer)
  );
}

/** A turn with only its two fields, in their order, so rebuilding it writes the same JSON. */
function sameKeys(turn: Turn): boolean {
  let i = 0;
  for (const key in turn) if (key !== TURN_KEYS[i++]) return false;
  return i === TURN_KEYS.length;
}
const TURN_KEYS = ['from', 'value'];

/** Puts back what packLine wrote once. */
function restore(r: StoredRecord): void {
  if ((r.conversations as unknown) === REPEATED)
    r.conversations = pairTurns(r.instruction, r.response);
  if ((r.instructionRaw as unknown) === REPEATED) r.instructionRaw = r.instruction;
}

/**
 * UTF-8 bytes of a pack's lines, joined by newlines. Chromium's `encode` or `encodeInto` of
 * one text of megabytes runs several times slower than `encodeInto` of each line in turn
 * into a buffer kept from the last pack (a large new buffer is paid for per page touched),
 * so the lines are neither joined into one text nor encoded into a fresh buffer.
 */
let scratch = new Uint8Array(1 << 16);
function utf8Lines(lines: readonly string[]): Uint8Array {
  let written = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // At most 3 bytes a UTF-16 unit (a pair's 2 units take 4), and the newline.
    const need = written + line.length * 3 + 1;
    if (need > scratch.length) {
      const more = new Uint8Array(Math.max(need, scratch.length * 2));
      more.set(scratch.subarray(0, written));
      scratch = more;
    }
    if (i) scratch[written++] = NEWLINE;
    written += encoder.encodeInto(line, scratch.subarray(written)).written;
  }
  // A copy of the exact length: a stored view would store its whole buffer.
  return scratch.slice(0, written);
}
const NEWLINE = 10;

/**
 * A pack's records, in its order, carrying the pack's stamp as their own. `which`: only the
 * lines it picks, by position (the others are skipped unparsed: one record of a pack, or
 * its newest page, costs a scan for line breaks, not a parse of 1,000 records).
 */
export function unpack(
  pack: RecordPack,
  body: PackBody,
  which?: (line: number) => boolean,
): StoredRecord[] {
  const text = decoder.decode(body.bytes);
  const out: StoredRecord[] = [];
  let start = 0;
  for (let line = 0; start < text.length; line++) {
    // A line holds no raw break: JSON escapes them.
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (!which || which(line)) {
      const r = JSON.parse(text.slice(start, end)) as StoredRecord;
      restore(r);
      if (pack.changedAt !== undefined) r.changedAt = pack.changedAt;
      out.push(r);
    }
    start = end + 1;
  }
  return out;
}

/** Picks a pack's last `count` lines (its newest records: lines are in time order). */
export const newestLines =
  (pack: RecordPack, count: number) =>
  (line: number): boolean =>
    line >= pack.count - count;

/**
 * Stores records as packs of at most `size` (records of one dataset and one run). Each
 * record gets its pack's change stamp in place, as a row written gets its own, so an index
 * built from them as they are stored knows them as stored.
 */
export async function storePacks(db: MagpieDB, records: StoredRecord[], size = 1000) {
  if (!records.length) return;
  const made: { pack: RecordPack; body: PackBody; records: StoredRecord[] }[] = [];
  for (let i = 0; i < records.length; i += size) {
    const part = records.slice(i, i + size);
    made.push({ ...makePack(part), records: part });
  }
  await db.transaction('rw', db.recordPacks, db.packBodies, async () => {
    await db.packBodies.bulkAdd(made.map((m) => m.body));
    await db.recordPacks.bulkAdd(made.map((m) => m.pack));
  });
  for (const m of made) for (const r of m.records) r.changedAt = m.pack.changedAt;
}

/** Which of these uuids are packed, and in which pack (index keys alone). */
export async function packsHolding(db: MagpieDB, uuids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!uuids.length) return out;
  await db.packBodies
    .where('uuids')
    .anyOf(uuids)
    .eachKey((key, cursor) => out.set(key as string, cursor.primaryKey as string));
  return out;
}

/** The packed records among these uuids, read from their packs (each pack opened once). */
export async function packedRecords(
  db: MagpieDB,
  uuids: string[],
): Promise<Map<string, StoredRecord>> {
  const where = await packsHolding(db, uuids);
  const out = new Map<string, StoredRecord>();
  if (!where.size) return out;
  const ids = [...new Set(where.values())];
  const [packs, bodies] = await Promise.all([
    db.recordPacks.bulkGet(ids),
    db.packBodies.bulkGet(ids),
  ]);
  ids.forEach((_, i) => {
    const pack = packs[i];
    const body = bodies[i];
    if (!pack || !body) return;
    const lines = new Set<number>();
    body.uuids.forEach((uuid, line) => where.has(uuid) && lines.add(line));
    for (const r of unpack(pack, body, (line) => lines.has(line))) out.set(r.uuid, r);
  });
  return out;
}

/** A pack written again around records taken out: the records left in it, and its new stamp. */
export interface Restamped {
  uuids: string[];
  changedAt: number;
}

/**
 * Takes these uuids out of their packs: each pack holding one is written again without
 * them (or deleted when none is left). Answers which of them were packed, and the packs
 * written again: the records left in them are unchanged but carry the new stamp, which a
 * writer that holds them in an index takes in (so its catch-up does not read them back).
 * Inside a transaction over recordTables(db); it leaves tombstones and derived rows to the
 * caller.
 */
export async function takeFromPacks(
  db: MagpieDB,
  uuids: string[],
  /** Packs that likely hold them (chunksAtPackBounds): read first, the rest looked up. */
  likely: readonly string[] = [],
): Promise<{ packed: ReadonlySet<string>; restamped: Restamped[] }> {
  const bodies = new Map<string, PackBody>();
  const read = async (ids: readonly string[]) => {
    for (const body of await db.packBodies.bulkGet([...ids])) if (body) bodies.set(body.id, body);
  };
  await read(likely);
  const wanted = new Set(uuids);
  const where = new Map<string, string>();
  for (const body of bodies.values())
    for (const uuid of body.uuids) if (wanted.has(uuid)) where.set(uuid, body.id);
  // The uuid index only for those not found there (rows, or a pack the caller did not know).
  const rest = uuids.filter((uuid) => !where.has(uuid));
  for (const [uuid, id] of await packsHolding(db, rest)) where.set(uuid, id);
  const packed = new Set(where.keys());
  if (!where.size) return { packed, restamped: [] };
  const ids = [...new Set(where.values())];
  await read(ids.filter((id) => !bodies.has(id)));
  const packs = await db.recordPacks.bulkGet(ids);
  const restamped: Restamped[] = [];
  for (let i = 0; i < ids.length; i++) {
    const pack = packs[i];
    const body = bodies.get(ids[i]!);
    if (!pack || !body) continue;
    const keep = unpack(pack, body).filter((r) => !where.has(r.uuid));
    if (keep.length) {
      const next = makePack(keep);
      const row: RecordPack = { ...next.pack, id: pack.id };
      await db.packBodies.put({ ...next.body, id: pack.id });
      await db.recordPacks.put(row); // stamped in place (db.ts)
      restamped.push({ uuids: next.body.uuids, changedAt: row.changedAt! });
    } else {
      await db.packBodies.delete(pack.id);
      await db.recordPacks.delete(pack.id);
    }
  }
  return { packed, restamped };
}

/**
 * Splits records to delete into chunks of about `size` (a transaction each) cut only between
 * packs, so a pack the records leave is written again once, not once per chunk that holds
 * some of them; each chunk names the packs its records' times fall in (takeFromPacks reads
 * those rather than looking every uuid up). `packs` in order of their first record
 * (datasetPacks).
 */
export function chunksAtPackBounds(
  packs: readonly RecordPack[],
  records: readonly { uuid: string; createdAt: number }[],
  size: number,
): { uuids: string[]; packs: string[] }[] {
  const sorted = [...records].sort((a, b) => a.createdAt - b.createdAt);
  const chunks: { uuids: string[]; packs: string[] }[] = [];
  let chunk = { uuids: [] as string[], packs: [] as string[] };
  let p = 0;
  let inPack = -1; // the pack the chunk's last record falls in, if any
  for (const r of sorted) {
    while (p < packs.length && packs[p]!.last < r.createdAt) p++;
    const here = p < packs.length && packs[p]!.first <= r.createdAt ? p : -1;
    if (chunk.uuids.length >= size && (here === -1 || here !== inPack)) {
      chunks.push(chunk);
      chunk = { uuids: [], packs: [] };
    }
    chunk.uuids.push(r.uuid);
    if (here !== -1 && here !== inPack) chunk.packs.push(packs[here]!.id);
    inPack = here;
  }
  if (chunk.uuids.length) chunks.push(chunk);
  return chunks;
}

/** A dataset's packs, small rows only, in order of their first record. */
export function datasetPacks(db: MagpieDB, datasetId: string): Promise<RecordPack[]> {
  return db.recordPacks
    .where('[datasetId+first]')
    .between([datasetId, -Infinity], [datasetId, Infinity], true, true)
    .toArray();
}

/** The records of these packs (bodies read together), each pack's in its order; `newest`: only that many of each pack's newest. */
export async function packRecords(
  db: MagpieDB,
  packs: RecordPack[],
  newest?: number,
): Promise<StoredRecord[][]> {
  const bodies = await db.packBodies.bulkGet(packs.map((p) => p.id));
  return packs.map((p, i) =>
    bodies[i]
      ? unpack(p, bodies[i], newest === undefined ? undefined : newestLines(p, newest))
      : [],
  );
}

/**
 * Deletes packs with their records: tombstones for every record and their derived rows go
 * in the same transaction (over recordTables(db)), as the change feed does for rows.
 */
export async function deletePacks(db: MagpieDB, packs: RecordPack[]): Promise<number> {
  if (!packs.length) return 0;
  const ids = packs.map((p) => p.id);
  const bodies = (await db.packBodies.bulkGet(ids)).filter((b): b is PackBody => !!b);
  const uuids = bodies.flatMap((b) => b.uuids);
  // The change feed leaves the tombstones and drops derived rows for deleted record keys,
  // whether a row was there or not.
  for (let i = 0; i < uuids.length; i += 5000)
    await db.records.bulkDelete(uuids.slice(i, i + 5000));
  await db.packBodies.bulkDelete(ids);
  await db.recordPacks.bulkDelete(ids);
  return uuids.length;
}

/** The records an import stored, as it knows them: their uuids, and when it began. */
export interface StoredByRun {
  uuids: ReadonlySet<string>;
  /** Before the run's first write (a reading of changeClock, db.ts). */
  since: number;
}

/**
 * Deletes one run's packs (an import undone) a pack at a time, not a record at a time:
 * nothing but the packs and their bodies is touched per pack. The records' traces are a
 * reader's concern only where a reader may have seen them, so for each dataset the run
 * reached:
 * - a dataset not listed (an import's new dataset, which appears only once complete) was
 *   never shown: its packs go with any derived row of it, and no tombstone is needed;
 * - in a listed one, the records the caller knows it stored (`stored`: the import being
 *   cancelled) get tombstones, and lose the derived rows written since the run began (a
 *   derived row is written only for a record present, so none is older);
 * - without that (a tab closed during an import into it), the uuids are read from the
 *   bodies, as a delete of those records would.
 * Inside a transaction over recordTables(db); rows of the run are the caller's.
 */
export async function deleteRunPacks(
  db: MagpieDB,
  runId: string,
  stored?: StoredByRun,
): Promise<number> {
  const packs = await db.recordPacks.where('runId').equals(runId).toArray();
  let count = 0;
  for (const datasetId of new Set(packs.map((p) => p.datasetId))) {
    const ids = packs.filter((p) => p.datasetId === datasetId).map((p) => p.id);
    const derived = db.recordDerived.where('[datasetId+changedAt]');
    let uuids: string[] | undefined;
    if (!(await db.datasets.get(datasetId))) {
      await derived.between([datasetId, -Infinity], [datasetId, Infinity], true, true).delete();
      await deleteDerivedPacks(db, datasetId);
    } else if (stored) {
      uuids = [...stored.uuids];
      const written = (await derived
        .between([datasetId, stored.since], [datasetId, Infinity], true, true)
        .primaryKeys()) as string[];
      await db.recordDerived.bulkDelete(written.filter((uuid) => stored.uuids.has(uuid)));
    } else {
      uuids = (await db.packBodies.bulkGet(ids)).flatMap((b) => (b ? b.uuids : []));
      await db.recordDerived.bulkDelete(uuids);
    }
    if (uuids) await db.recordDeletions.bulkPut(tombstones(uuids));
    count += packs.filter((p) => p.datasetId === datasetId).reduce((n, p) => n + p.count, 0);
    await db.packBodies.bulkDelete(ids);
    await db.recordPacks.bulkDelete(ids);
  }
  return count;
}
