/**
 * The run's live mix charts ask the dataset worker: the counts must equal a count of the
 * run's stored records since it started, as pairs arrive and the judge tags them (derived
 * rows written by another connection, as the generation worker writes them).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PairRecord } from '../shared/record';
import { MagpieDB } from '../store/db';
import { writeDerived } from '../store/derived';
import { allRecords } from '../test-support/stored';
import { ExplorerService } from './explorer-service';
import { DS, seededDb, varied } from './test-data';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

/** The mix as the page used to count it: every record of the run since it started. */
function truth(records: PairRecord[], runId: string, startedAt: number) {
  const language = new Map<string, number>();
  const category = new Map<string, number>();
  for (const r of records) {
    if (r.runId !== runId || r.createdAt < startedAt) continue;
    const lang = r.language || 'unknown';
    language.set(lang, (language.get(lang) ?? 0) + 1);
    if (r.task_category) category.set(r.task_category, (category.get(r.task_category) ?? 0) + 1);
  }
  return { language, category };
}

async function mixOf(svc: ExplorerService, runId: string, startedAt: number) {
  const out = await svc.runMix(DS, runId, startedAt);
  if (!out.ok) throw new Error(out.error.message);
  return { language: new Map(out.value.language), category: new Map(out.value.category) };
}

describe("a run's language and category mix", () => {
  it('counts the run’s records since it started, following new pairs and the judge’s tags', async () => {
    const records = varied(120).map((r, i) => ({ ...r, runId: i % 3 === 0 ? 'run-b' : 'run-a' }));
    const startedAt = records[40]!.createdAt;
    const db = await seededDb(records);
    cleanup.push(() => db.delete());
    const svc = new ExplorerService();
    await svc.useDatabase(db.name);
    cleanup.unshift(() => svc.useDatabase('closed'));

    const expected = async () => truth(await allRecords(db), 'run-a', startedAt);
    expect(await mixOf(svc, 'run-a', startedAt)).toEqual(await expected());
    // The page asks again when told the dataset changed: the judge's tags alone must tell it.
    const told = vi.fn();
    await svc.watch(DS, told);

    // The run stores more pairs, and the judge tags some, from another connection.
    const other = new MagpieDB(db.name);
    const more = varied(30, 9).map((r, i) => ({
      ...r,
      uuid: `more-${i}`,
      runId: 'run-a',
      createdAt: Date.now() + i,
      language: i % 4 === 0 ? 'de' : r.language,
    }));
    await other.records.bulkAdd(more);
    await vi.waitFor(() => expect(told).toHaveBeenCalled(), { timeout: 5000 });
    expect(await mixOf(svc, 'run-a', startedAt)).toEqual(await expected());
    told.mockClear();
    await writeDerived(
      other,
      DS,
      [...records.slice(40, 60), ...more.slice(0, 10)].map((r, i) => ({
        uuid: r.uuid,
        fields: { task_category: i % 2 ? 'Math' : 'Coding & Debugging' },
      })),
    );
    other.close();
    await vi.waitFor(() => expect(told).toHaveBeenCalled(), { timeout: 5000 });
    const now = await expected();
    expect(now.category.get('Math')).toBeGreaterThan(0);
    expect(await mixOf(svc, 'run-a', startedAt)).toEqual(now);
    expect(await mixOf(svc, 'run-b', startedAt)).toEqual(
      truth(await allRecords(db), 'run-b', startedAt),
    );
  });
});
