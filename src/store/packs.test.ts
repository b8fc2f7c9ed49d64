import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportedRecord, PairRecord } from '../shared/record';
import { newRecord } from '../shared/record-factory';
import { pair } from '../test-support/fixtures';
import { MagpieDB, SCHEMA_V6, type StoredRecord } from './db';
import { getRecord, getRecords, writeDerived, type AssembledRecord } from './derived';
import {
  byTimeThenUuid,
  chunksAtPackBounds,
  datasetPacks,
  newestLines,
  storePacks,
  unpack,
} from './packs';
import { recordChunks } from './record-chunks';
import {
  countRecords,
  deleteRunRecords,
  deleteStored,
  presentUuids,
  putRecord,
  recentRecords,
} from './records';
import { deleteDataset } from './datasets';

const opened: MagpieDB[] = [];
function freshDb(name = `packs-${crypto.randomUUID()}`): MagpieDB {
  const db = new MagpieDB(name);
  opened.push(db);
  return db;
}
afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

/** An imported record as the import job makes it (a file's fields, nested configs, extras). */
function imported(datasetId: string, over: Partial<ImportedRecord> = {}): ImportedRecord {
  const { usage: _u, ...base } = pair(datasetId, 'import:one');
  return {
    ...base,
    engine: 'unknown',
    gen_input_configs: { temperature: 1, top_p: 0.99 },
    gen_response_configs: {},
    finish: { instruction: 'unknown', response: 'unknown' },
    min_neighbor_distance: 0.125,
    repeat_count: 2,
    min_similar_uuid: 'file-neighbour',
    instruct_reward: -3.5,
    fileExtras: { llama_guard_2: 'safe', nested: { a: [1, 'x', null] } },
    review: 'kept',
    ...over,
  };
}

async function readAll(db: MagpieDB, datasetId: string, size = 1000, from?: number) {
  const out: AssembledRecord[] = [];
  for await (const chunk of recordChunks(db, datasetId, size, from)) {
    expect(chunk.length).toBeLessThanOrEqual(size);
    out.push(...chunk);
  }
  return out;
}

const bare = ({ changedAt: _c, derivedAt: _d, ...r }: AssembledRecord) => r;
const sorted = (rs: PairRecord[]) => [...rs].sort(byTimeThenUuid);

describe('packed records', () => {
  it('an import stored as packs reads back equal, field for field, through the iterator and by uuid', async () => {
    const db = freshDb();
    const records = Array.from({ length: 25 }, (_, i) => imported('ds', { createdAt: 100 + i }));
    await storePacks(db, records, 10);
    expect(await db.recordPacks.count()).toBe(3);
    expect(await db.records.count()).toBe(0);
    // Each record took its pack's change stamp, as a row takes its own.
    expect(records.every((r) => typeof (r as StoredRecord).changedAt === 'number')).toBe(true);
    const expected = records.map(bare);

    expect((await readAll(db, 'ds')).map(bare)).toEqual(expected);
    expect(bare((await getRecord(db, records[13]!.uuid))!)).toEqual(expected[13]);
    const some = await getRecords(db, [records[24]!.uuid, 'nope', records[0]!.uuid]);
    expect(some.map((r) => r && bare(r))).toEqual([expected[24], undefined, expected[0]]);
    expect(await countRecords(db, 'ds')).toBe(25);
    expect(await countRecords(db, 'other')).toBe(0);
    expect(await presentUuids(db, [records[3]!.uuid, 'nope'])).toEqual(new Set([records[3]!.uuid]));
  });

  it('texts in any script read back as written, however many bytes a character takes', async () => {
    const db = freshDb();
    const texts = [
      '日本語の質問ですか？'.repeat(4000), // three bytes a character, longer than a first buffer
      'Émoji 🦜 and accents: façade, naïve',
      'A lone half of a pair: \ud800 stays readable',
      'plain ASCII',
    ];
    const records = texts.map((t, i) =>
      imported('ds', { createdAt: i, instruction: t, response: t.split('').reverse().join('') }),
    );
    await storePacks(db, records);
    expect((await readAll(db, 'ds')).map((r) => [r.instruction, r.response])).toEqual(
      records.map((r) => [r.instruction, r.response]),
    );
  });

  it('a text a record repeats is stored once and read back in its place, key order and all', async () => {
    const db = freshDb();
    const place = { datasetId: 'ds', runId: 'import:one' };
    const instruction = 'Which river runs through Vienna? '.repeat(20);
    const response = 'The Danube, with its canal through the centre. '.repeat(40);
    const base = newRecord(
      { ...place, uuid: crypto.randomUUID(), createdAt: 1 },
      { engine: 'unknown', model: 'm', gen_input_configs: {}, gen_response_configs: {} },
      [
        { from: 'human', value: instruction },
        { from: 'gpt', value: response },
      ],
    );
    const other = (createdAt: number, over: Partial<ImportedRecord>): ImportedRecord => ({
      ...base,
      uuid: crypto.randomUUID(),
      createdAt,
      ...over,
    });
    const records = [
      base,
      // Not the plain pair: each keeps its conversation and raw text as they are.
      other(2, {
        conversations: [
          { from: 'human', value: instruction },
          { from: 'gpt', value: response },
          { from: 'human', value: 'And Budapest?' },
          { from: 'gpt', value: 'The Danube too.' },
        ],
      }),
      other(3, {
        conversations: [
          { from: 'system', value: 'Be brief.' },
          { from: 'human', value: instruction },
          { from: 'gpt', value: response },
        ],
      }),
      other(4, {
        conversations: [
          { value: instruction, from: 'human' },
          { from: 'gpt', value: response },
        ],
      }),
      other(5, {
        conversations: [
          { from: 'human', value: instruction, weight: 0 } as never,
          { from: 'gpt', value: response },
        ],
      }),
      other(6, {
        conversations: [{ from: 'human', value: 'Another question?' }, base.conversations[1]!],
      }),
      other(7, { instructionRaw: ' ' + instruction }),
    ];
    const written = records.map((r) => JSON.stringify(r));
    await storePacks(db, records);

    const read = await readAll(db, 'ds');
    expect(read.map((r) => JSON.stringify(bare(r)))).toEqual(written);
    // The plain record's instruction is in its line once, its response once.
    const text = new TextDecoder().decode((await db.packBodies.toArray())[0]!.bytes);
    const line = text.split('\n')[0]!;
    expect(line.split('Which river runs through Vienna?').length - 1).toBe(20);
    expect(line.split('The Danube, with its canal').length - 1).toBe(40);
  });

  it('a pack written before repeats were left out reads back as written', async () => {
    const db = freshDb();
    const records = [imported('ds', { createdAt: 1 }), imported('ds', { createdAt: 2 })];
    // The earlier layout: each line the whole record as JSON.
    const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n'));
    await db.recordPacks.add({
      id: 'old',
      datasetId: 'ds',
      runId: 'import:one',
      first: 1,
      last: 2,
      count: 2,
    });
    await db.packBodies.add({ id: 'old', uuids: records.map((r) => r.uuid), bytes });
    expect((await readAll(db, 'ds')).map(bare)).toEqual(records);
  });

  it('the newest records of a pack, or one of them, are read without parsing the rest of it', async () => {
    const db = freshDb();
    const records = Array.from({ length: 30 }, (_, i) => imported('ds', { createdAt: 100 + i }));
    await storePacks(db, records);
    const [pack] = await db.recordPacks.toArray();
    const body = (await db.packBodies.get(pack!.id))!;
    const all = unpack(pack!, body).map((r) => r.uuid);
    expect(all).toEqual(records.map((r) => r.uuid));
    for (const k of [0, 1, 2, 29, 30, 31])
      expect(unpack(pack!, body, newestLines(pack!, k)).map((r) => r.uuid)).toEqual(
        all.slice(Math.max(0, all.length - k)),
      );
    // One record of the pack, by uuid, and the records of a pack by their lines.
    expect(unpack(pack!, body, (line) => line === 7 || line === 8).map((r) => r.uuid)).toEqual(
      all.slice(7, 9),
    );
    expect(bare((await getRecord(db, records[17]!.uuid))!)).toEqual(bare(records[17]!));
    // The newest page of the dataset, across the pack and newer rows.
    const rows = [pair('ds', 'run', { createdAt: 200 }), pair('ds', 'run', { createdAt: 201 })];
    await db.records.bulkAdd(rows);
    const newest = [...records, ...rows].reverse().map((r) => r.uuid);
    expect((await recentRecords(db, 'ds', 5)).map((r) => r.uuid)).toEqual(newest.slice(0, 5));
    expect((await recentRecords(db, 'ds', 5, 10)).map((r) => r.uuid)).toEqual(newest.slice(10, 15));
  });

  it('rows and packed records merge into one order, each once, with ties on createdAt across both', async () => {
    const db = freshDb();
    const times = [1, 1, 1, 2, 3, 3, 3, 3, 4, 5, 5, 5, 6];
    const rows = times.map((t) => pair('ds', 'run', { createdAt: t }));
    await db.records.bulkAdd(rows);
    // Two packs whose spans overlap each other and the rows (two imports at once).
    const packA = [1, 1, 3, 3, 5].map((t) => imported('ds', { createdAt: t }));
    const packB = [0, 1, 3, 5, 5, 7].map((t) => imported('ds', { createdAt: t }));
    await storePacks(db, packA);
    await storePacks(db, packB);
    await storePacks(db, [imported('other', { createdAt: 3 })]);
    await db.records.add(pair('other', 'run', { createdAt: 3 }));
    const all = sorted([...rows, ...packA, ...packB]).map((r) => r.uuid);
    for (const size of [1, 2, 3, 5, 100]) {
      expect((await readAll(db, 'ds', size)).map((r) => r.uuid)).toEqual(all);
      const from = sorted([...rows, ...packA, ...packB])
        .filter((r) => r.createdAt >= 3)
        .map((r) => r.uuid);
      expect((await readAll(db, 'ds', size, 3)).map((r) => r.uuid)).toEqual(from);
    }
    expect(await countRecords(db, 'ds')).toBe(all.length);
    const newest = [...all].reverse();
    expect((await recentRecords(db, 'ds', 4, 0)).map((r) => r.uuid)).toEqual(newest.slice(0, 4));
    expect((await recentRecords(db, 'ds', 5, 7)).map((r) => r.uuid)).toEqual(newest.slice(7, 12));
  });

  it('deleting a packed record rewrites its pack without it and leaves a tombstone; its derived row goes', async () => {
    const db = freshDb();
    const records = Array.from({ length: 6 }, (_, i) => imported('ds', { createdAt: 10 + i }));
    await storePacks(db, records);
    const [gone, kept] = [records[2]!, records[4]!];
    await writeDerived(db, 'ds', [
      { uuid: gone.uuid, fields: { review: 'rejected' } },
      { uuid: kept.uuid, fields: { review: 'rejected' } },
    ]);
    const before = Date.now();
    await deleteStored(db, [gone.uuid]);

    const left = await readAll(db, 'ds');
    expect(left.map((r) => r.uuid)).toEqual(records.filter((r) => r !== gone).map((r) => r.uuid));
    expect(left.find((r) => r.uuid === kept.uuid)?.review).toBe('rejected');
    expect(await getRecord(db, gone.uuid)).toBeUndefined();
    expect(await countRecords(db, 'ds')).toBe(5);
    expect((await db.recordDeletions.get(gone.uuid))?.at).toBeGreaterThanOrEqual(before);
    expect(await db.recordDerived.get(gone.uuid)).toBeUndefined();
    expect(await presentUuids(db, [gone.uuid])).toEqual(new Set());
    // A derived write for the deleted record finds nothing to attach to.
    expect(await writeDerived(db, 'ds', [{ uuid: gone.uuid, fields: { review: 'kept' } }])).toEqual(
      [],
    );

    // The last records of a pack take the pack with them.
    await deleteStored(
      db,
      records.filter((r) => r !== gone).map((r) => r.uuid),
    );
    expect(await db.recordPacks.count()).toBe(0);
    expect(await db.packBodies.count()).toBe(0);
    expect(await countRecords(db, 'ds')).toBe(0);
  });

  it('a bulk delete goes in chunks cut between packs; a record outside the packs its chunk names is still found', async () => {
    const db = freshDb();
    const records = Array.from({ length: 30 }, (_, i) => imported('ds', { createdAt: 100 + i }));
    await storePacks(db, records, 10); // three packs of ten
    const row = pair('ds', 'run', { createdAt: 115.5 }); // a generated row among the packs
    await db.records.add(row);
    const doomed = [...records.filter((_, i) => i % 2 === 0), row];
    const packs = await datasetPacks(db, 'ds');
    const chunks = chunksAtPackBounds(packs, doomed, 4);
    // Each pack's records in one chunk (written again once), every record once.
    expect(chunks.flatMap((c) => c.uuids).sort()).toEqual(doomed.map((r) => r.uuid).sort());
    for (const pack of packs) {
      const body = (await db.packBodies.get(pack.id))!;
      const holding = chunks.filter((c) => c.uuids.some((u) => body.uuids.includes(u)));
      expect(holding).toHaveLength(1);
      expect(holding[0]!.packs).toContain(pack.id);
    }
    // A chunk that names the wrong pack, or none: its records are looked up by uuid.
    await deleteStored(db, chunks[0]!.uuids, [packs[2]!.id]);
    for (const c of chunks.slice(1)) await deleteStored(db, c.uuids, []);
    const left = await readAll(db, 'ds');
    expect(left.map((r) => r.uuid)).toEqual(
      records.filter((_, i) => i % 2 === 1).map((r) => r.uuid),
    );
    expect(await countRecords(db, 'ds')).toBe(15);
  });

  it('an edited packed record leaves its pack for a row, once, and the rest of the pack stays', async () => {
    const db = freshDb();
    const records = Array.from({ length: 4 }, (_, i) => imported('ds', { createdAt: 10 + i }));
    await storePacks(db, records);
    const target = records[1]!;
    await putRecord(db, { ...target, edited: { instruction: 'Better?', at: 5 } });

    const all = await readAll(db, 'ds');
    expect(all.map((r) => r.uuid)).toEqual(records.map((r) => r.uuid));
    expect(all[1]!.edited?.instruction).toBe('Better?');
    expect((await getRecord(db, target.uuid))?.edited?.instruction).toBe('Better?');
    expect(await db.records.count()).toBe(1);
    expect((await db.packBodies.toArray())[0]!.uuids).not.toContain(target.uuid);
    expect(await countRecords(db, 'ds')).toBe(4);
  });

  it('undoing an import and deleting a dataset remove packed records with their traces', async () => {
    const db = freshDb();
    await db.datasets.add({ id: 'ds', name: 'd', createdAt: 1 });
    const one = Array.from({ length: 3 }, (_, i) => imported('ds', { createdAt: i }));
    const two = Array.from({ length: 2 }, (_, i) =>
      imported('ds', { createdAt: 10 + i, runId: 'import:two' }),
    );
    await storePacks(db, one);
    await storePacks(db, two);
    const generated = pair('ds', 'run', { createdAt: 5 });
    await db.records.add(generated);
    await writeDerived(db, 'ds', [{ uuid: one[0]!.uuid, fields: { review: 'kept' } }]);

    expect(await deleteRunRecords(db, 'import:one')).toBe(3);
    expect((await readAll(db, 'ds')).map((r) => r.uuid)).toEqual([
      generated.uuid,
      ...two.map((r) => r.uuid),
    ]);
    expect(await db.recordDeletions.get(one[2]!.uuid)).toBeDefined();
    expect(await db.recordDerived.count()).toBe(0);

    await deleteDataset(db, 'ds');
    expect(await countRecords(db, 'ds')).toBe(0);
    expect(await db.recordPacks.count()).toBe(0);
    expect(await db.packBodies.count()).toBe(0);
  });

  it('a v6 database (every record a row) opens under v7 with every record intact', async () => {
    const name = `packs-v6-${crypto.randomUUID()}`;
    const v6 = new Dexie(name);
    v6.version(6).stores(SCHEMA_V6);
    const rows = [pair('ds', 'run', { createdAt: 1 }), imported('ds', { createdAt: 2 })];
    await v6.table('datasets').add({ id: 'ds', name: 'old', createdAt: 1 });
    await v6.table('records').bulkAdd(rows);
    v6.close();

    const db = freshDb(name);
    const read = await readAll(db, 'ds');
    expect(db.verno).toBe(9);
    expect(read.map(bare)).toEqual(rows);
    // And an import after the upgrade joins them.
    const later = imported('ds', { createdAt: 3 });
    await storePacks(db, [later]);
    expect((await readAll(db, 'ds')).map((r) => r.uuid)).toEqual(
      [...rows, later].map((r) => r.uuid),
    );
  });
});
