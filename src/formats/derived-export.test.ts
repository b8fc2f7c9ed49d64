import { describe, expect, it } from 'vitest';
import { setNearDupSource, writeDerived } from '../store/derived';
import { exportLines, importText, recordsOf, request, seededDb } from './test-helpers';

const line = (uuid: string, instruction: string, near: [number, number, string | null]) =>
  JSON.stringify({
    uuid,
    instruction,
    response: 'An answer.',
    min_neighbor_distance: near[0],
    repeat_count: near[1],
    min_similar_uuid: near[2],
  });

describe('export of derived values', () => {
  it("writes review, tags and near-duplicates from the derived rows, and the file's or the app's near-duplicate values as the dataset chooses", async () => {
    const { db } = await seededDb(() => []);
    const report = await importText(
      db,
      [
        line('u1', 'How do I sort a list in Python?', [0.02, 1, null]),
        line('u2', 'How do I sort a list in Python quickly?', [0.02, 1, 'u1']),
        line('u3', 'Write a haiku about autumn.', [0.7, 0, null]),
      ].join('\n'),
      'magpie',
    );
    const ds = report.datasetId!;
    // What the app's own pass and a curator write later: derived rows.
    const app = (similar: string, d: number, n: number) =>
      ({
        min_neighbor_distance: d,
        repeat_count: n,
        min_similar_uuid: similar,
        method: 'text',
      }) as const;
    await writeDerived(db, ds, [
      { uuid: 'u1', nearDup: app('u1', 0.1, 1), fields: { review: 'kept', input_quality: 'good' } },
      { uuid: 'u2', nearDup: app('u1', 0.1, 1) },
    ]);
    const near = (rows: Record<string, unknown>[]) =>
      rows.map((r) => [r.uuid, r.min_neighbor_distance, r.repeat_count, r.min_similar_uuid]);

    const magpie = request(ds, { format: 'magpie', tags: true });
    let { lines } = await exportLines(db, magpie);
    expect(lines[0]).toMatchObject({ uuid: 'u1', review: 'kept', input_quality: 'good' });
    expect(lines[1]).toMatchObject({ uuid: 'u2', review: 'unreviewed', input_quality: null });
    // Default: the app's own where computed (u1, u2), else the file's (u3).
    expect(near(lines)).toEqual([
      ['u1', 0.1, 1, 'u1'],
      ['u2', 0.1, 1, 'u1'],
      ['u3', 0.7, 0, null],
    ]);

    await setNearDupSource(db, ds, 'file');
    ({ lines } = await exportLines(db, magpie));
    expect(near(lines)).toEqual([
      ['u1', 0.02, 1, null],
      ['u2', 0.02, 1, 'u1'],
      ['u3', 0.7, 0, null],
    ]);

    await setNearDupSource(db, ds, 'app');
    ({ lines } = await exportLines(db, magpie));
    expect(near(lines)).toEqual([
      ['u1', 0.1, 1, 'u1'],
      ['u2', 0.1, 1, 'u1'],
      ['u3', null, null, null],
    ]);
    // The records still hold what the file gave.
    const stored = await recordsOf(db, ds);
    expect(stored.map((r) => [r.min_neighbor_distance, r.min_similar_uuid])).toEqual([
      [0.02, undefined],
      [0.02, 'u1'],
      [0.7, undefined],
    ]);
  });
});
