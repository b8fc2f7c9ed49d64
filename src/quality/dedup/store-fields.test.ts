import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { pair } from '../../test-support/fixtures';
import { MagpieDB } from '../../store/db';
import { recordChunks } from '../../store/record-chunks';
import { writeDerived } from '../../store/derived';
import { writeFields, type FieldChange } from './store-fields';

const opened: MagpieDB[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const DS = 'ds';

async function seeded(records: ReturnType<typeof pair>[]) {
  const db = new MagpieDB(`store-fields-${crypto.randomUUID()}`);
  opened.push(db);
  await db.datasets.add({ id: DS, name: 'd', createdAt: 1 });
  await db.records.bulkAdd(records.map((r) => ({ ...r })));
  // A review before the pass: it must survive however the pass stores its values.
  await writeDerived(db, DS, [{ uuid: records[1]!.uuid, fields: { review: 'kept' } }]);
  return db;
}

async function readAll(db: MagpieDB) {
  const out = [];
  for await (const chunk of recordChunks(db, DS)) out.push(...chunk);
  return out.map(({ changedAt: _c, derivedAt: _d, ...r }) => r);
}

describe("writing a pass's near-duplicate values", () => {
  it('a pass changing many records stores packs, a few records rows, and readers see the same records either way', async () => {
    const records = Array.from({ length: 30 }, (_, i) => pair(DS, 'run', { createdAt: 100 + i }));
    const changes: FieldChange[] = records.map((r, i) => ({
      uuid: r.uuid,
      recordAt: r.createdAt,
      fields: {
        min_neighbor_distance: i / 100,
        repeat_count: i % 2,
        min_similar_uuid: records[i - (i % 2)]!.uuid,
      },
    }));
    const asRows = await seeded(records);
    const asPacks = await seeded(records);
    const rowsAnswered = await writeFields(asRows, DS, 'text', changes);
    const packsAnswered = await writeFields(asPacks, DS, 'text', changes, undefined, undefined, 10);

    expect(await asRows.derivedPacks.count()).toBe(0);
    expect(await asPacks.derivedPacks.count()).toBe(1);
    expect(await asPacks.recordDerived.count()).toBe(1); // the review's row, older than the pack
    const strip = ({ changedAt: _c, ...row }: { changedAt?: number }) => row;
    expect(packsAnswered.map(strip)).toEqual(rowsAnswered.map(strip));
    const read = await readAll(asPacks);
    expect(read).toEqual(await readAll(asRows));
    expect(read[1]).toMatchObject({ review: 'kept', min_neighbor_distance: 0.01, repeat_count: 1 });
  });
});
