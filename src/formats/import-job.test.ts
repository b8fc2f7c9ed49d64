import { describe, expect, it } from 'vitest';
import { pair } from '../test-support/fixtures';
import { MALFORMED_LINES, malformedFile, FIVE_MB_RESPONSE } from './fixtures/malformed';
import { cheapTags, loadCheapTagger } from '../record-rules/cheap-tags';
import { ExplorerService } from '../dataset/explorer-service';
import { DEFAULT_SORT } from '../shared/explorer-api';
import { importFile } from './import-job';
import type { Tagger } from './tag-pool';
import { importText, recordsOf, seededDb } from './test-helpers';
import { discardImport } from './import-store';
import { writeDerived } from '../store/derived';
import { packRecords } from '../store/packs';
import { presentUuids } from '../store/records';

const shareGpt = (i: number) =>
  JSON.stringify({
    conversations: [
      { from: 'human', value: `Question ${i}?` },
      { from: 'gpt', value: `Answer ${i}.` },
    ],
  });
const many = (n: number) => Array.from({ length: n }, (_, i) => shareGpt(i)).join('\n') + '\n';

describe('an import into a new dataset', () => {
  it('builds the explorer index as it stores: the dataset opens from it, with no read of its records', async () => {
    const { db } = await seededDb(() => []);
    const report = await importText(db, many(1200), 'sharegpt');
    const datasetId = report.datasetId!;
    const saved = await db.explorerSnapshots.get(datasetId);
    expect(saved).toMatchObject({ scanBefore: null, columns: { n: 1200 } });

    const explorer = new ExplorerService();
    await explorer.useDatabase(db.name);
    try {
      // A dataset without a saved index answers its first view while still reading (indexing set).
      const first = await explorer.query(datasetId, {}, DEFAULT_SORT);
      expect(first).toMatchObject({ total: 1200, datasetTotal: 1200 });
      expect(first.indexing).toBeUndefined();
      const found = await explorer.query(datasetId, { q: 'question 1199' }, DEFAULT_SORT);
      const rows = await explorer.rows(found.queryId, 0, found.total);
      expect(rows.map((r) => r?.instruction)).toEqual(['Question 1199?']);
      // Newest first is the file's last row first.
      const top = await explorer.rows(first.queryId, 0, 2);
      expect(top.map((r) => r?.instruction)).toEqual(['Question 1199?', 'Question 1198?']);
    } finally {
      await explorer.useDatabase('closed');
    }
  });
});

describe('a malformed file', () => {
  it('imports its valid lines and lists every other one with its line number and reason', async () => {
    const { db } = await seededDb(() => []);
    const report = await importText(db, malformedFile(), 'sharegpt');

    const valid = MALFORMED_LINES.filter((l) => l.expect === undefined);
    const invalid = MALFORMED_LINES.map((l, i) => ({ ...l, line: i + 1 })).filter(
      (l) => l.expect !== undefined && l.expect !== 'blank' && l.expect !== 'duplicate',
    );
    expect(report).toMatchObject({
      cancelled: false,
      imported: valid.length,
      skipped: invalid.length,
      duplicates: 1,
    });
    expect(report.skippedLines.map((s) => s.line)).toEqual(invalid.map((l) => l.line));
    report.skippedLines.forEach((s, i) => expect(s.reason).toContain(invalid[i]!.expect));

    const records = await recordsOf(db, report.datasetId!);
    expect(records.map((r) => r.instruction)).toEqual([
      'First valid instruction?',
      'Second valid instruction?',
      'Big one?',
      'Third valid instruction — ünïcödé ✓?',
    ]);
    expect(records[2]!.response).toBe(FIVE_MB_RESPONSE);
    expect(await db.datasets.get(report.datasetId!)).toMatchObject({ name: 'Imported' });
  });

  it('gives every record the fields the app expects, and cheap tags', async () => {
    const { db } = await seededDb(() => []);
    const report = await importText(db, shareGpt(1) + '\n', 'sharegpt');
    const [r] = await recordsOf(db, report.datasetId!);
    expect(r).toMatchObject({
      runId: `import:${report.importId}`,
      datasetId: report.datasetId,
      model: 'unknown',
      review: 'unreviewed',
      instruction_length: 'Question 1?'.length,
      incomplete: false,
      leaked_template: false,
      response_repetition: 0,
      // What a file does not say stays unknown, not made up.
      engine: 'unknown',
      finish: { instruction: 'unknown', response: 'unknown' },
    });
    expect(r!.usage).toBeUndefined();
    expect(typeof r!.language).toBe('string');
  });
});

describe('duplicates', () => {
  it('skips instructions the dataset already has (original or edited) or the file repeats', async () => {
    const { db, datasetId } = await seededDb((ds) => [
      pair(ds, 'run', { instruction: 'Question 1?' }),
      pair(ds, 'run', { instruction: 'Old text', edited: { instruction: 'Question 2?', at: 1 } }),
    ]);
    const report = await importText(db, many(4) + shareGpt(3) + '\n', 'sharegpt', {
      kind: 'existing',
      datasetId,
    });
    expect(report).toMatchObject({ imported: 2, duplicates: 3, skipped: 0, datasetId });
    const records = await recordsOf(db, datasetId);
    expect(records.map((r) => r.instruction).sort()).toEqual(
      ['Old text', 'Question 0?', 'Question 1?', 'Question 3?'].sort(),
    );
  });
});

describe('cancelling', () => {
  async function cancelAfterFirstBatch(target: 'new' | 'existing') {
    const { db, datasetId, records } = await seededDb((ds) => [pair(ds, 'run')]);
    const before = await db.records.toArray();
    const datasetsBefore = await db.datasets.toArray();
    const controller = new AbortController();
    let stored = 0;
    const report = await importFile(
      db,
      {
        file: new File([many(250)], 'big.jsonl'),
        format: 'sharegpt',
        target: target === 'new' ? { kind: 'new', name: 'x' } : { kind: 'existing', datasetId },
      },
      {
        importId: 'cancelled-import',
        batchSize: 100,
        signal: controller.signal,
        onProgress: (p) => {
          stored = Math.max(stored, p.imported);
          if (p.imported >= 100) controller.abort();
        },
      },
    );
    expect(stored).toBeGreaterThanOrEqual(100);
    expect(report).toMatchObject({ cancelled: true, imported: 0 });
    expect(await db.records.toArray()).toEqual(before);
    expect(await db.datasets.toArray()).toEqual(datasetsBefore);
    expect(records).toHaveLength(1);
  }

  it('leaves an existing dataset exactly as it was', () => cancelAfterFirstBatch('existing'));
  it('creates no new dataset and leaves no record behind', () => cancelAfterFirstBatch('new'));

  /**
   * An import cancelled after the explorer saw its first packs and a record of it was
   * reviewed: its undo removes it whole (packs at a time) and nothing else.
   */
  async function undoSeenImport(target: 'new' | 'existing') {
    const { db, datasetId, records } = await seededDb((ds) => [pair(ds, 'run')]);
    const generated = records[0]!;
    // An earlier import into the same dataset, one of its records reviewed: both stay.
    const earlier = (
      await importText(db, shareGpt(900) + '\n' + shareGpt(901), 'sharegpt', {
        kind: 'existing',
        datasetId,
      })
    ).importId;
    const earlierRecords = await recordsOf(db, datasetId);
    await writeDerived(db, datasetId, [
      { uuid: earlierRecords[1]!.uuid, fields: { review: 'kept' } },
    ]);
    const tables = () =>
      Promise.all(
        [db.records, db.recordPacks, db.packBodies, db.recordDerived, db.datasets].map((t) =>
          t.toArray(),
        ),
      );
    const before = await tables();
    const tombstonesBefore = await db.recordDeletions.count();
    const explorer = new ExplorerService();
    await explorer.useDatabase(db.name);
    const importId = 'seen-import';
    const controller = new AbortController();
    let seen: Promise<string[]> | undefined;
    let calls = 0;
    let cancel = () => undefined as void;
    const cancelled = new Promise<void>((resolve) => (cancel = resolve));
    try {
      await explorer.fresh(datasetId);
      expect((await explorer.query(datasetId, {}, DEFAULT_SORT)).total).toBe(3);
      const report = await importFile(
        db,
        {
          file: new File([many(450)], 'big.jsonl'),
          format: 'sharegpt',
          target: target === 'new' ? { kind: 'new', name: 'x' } : { kind: 'existing', datasetId },
        },
        {
          importId,
          batchSize: 100,
          signal: controller.signal,
          // Later batches wait until the first is seen, reviewed and the import cancelled.
          tagger: {
            tag: async (pairs) => {
              if (calls++ > 0) await cancelled;
              return pairs.map(await loadCheapTagger());
            },
            close: () => undefined,
          },
          onProgress: (p) => {
            if (p.imported < 100 || seen) return;
            seen = (async () => {
              const packs = await db.recordPacks
                .where('runId')
                .equals(`import:${importId}`)
                .toArray();
              const uuids = (await packRecords(db, packs)).flat().map((r) => r.uuid);
              const ds = packs[0]!.datasetId;
              await writeDerived(db, ds, [{ uuid: uuids[0]!, fields: { review: 'rejected' } }]);
              if (target === 'existing') {
                await explorer.fresh(datasetId);
                const shown = await explorer.query(datasetId, {}, DEFAULT_SORT);
                expect(shown.total).toBe(3 + uuids.length);
              }
              controller.abort();
              cancel();
              return uuids;
            })();
          },
        },
      );
      expect(report).toMatchObject({ cancelled: true, imported: 0 });
      const uuids = await seen!;
      expect(uuids).toHaveLength(100);

      expect(await tables()).toEqual(before);
      expect(await presentUuids(db, uuids)).toEqual(new Set());
      expect(await db.packBodies.where('uuids').anyOf(uuids).count()).toBe(0);
      expect(await db.recordDerived.where(':id').anyOf(uuids).count()).toBe(0);
      if (target === 'existing') {
        // The explorer had them: it learns they are gone, and keeps the rest.
        await explorer.fresh(datasetId);
        const shown = await explorer.query(datasetId, {}, DEFAULT_SORT);
        expect(shown.total).toBe(3);
        const rows = await explorer.rows(shown.queryId, 0, 3);
        expect(rows.map((r) => r?.uuid).sort()).toEqual(earlierRecords.map((r) => r.uuid).sort());
      } else {
        // A new dataset was never shown: its undo writes nothing per record.
        expect(await db.recordDeletions.count()).toBe(tombstonesBefore);
      }
      // The earlier import is still whole, and can itself be undone.
      expect(await discardImport(db, earlier)).toBe(2);
      expect((await recordsOf(db, datasetId)).map((r) => r.uuid)).toEqual([generated.uuid]);
    } finally {
      await explorer.useDatabase('closed');
    }
  }

  it('undoes an import into a dataset the explorer was showing: every trace goes, nothing else', () =>
    undoSeenImport('existing'));
  it('undoes an import into a new dataset: every trace goes, nothing else', () =>
    undoSeenImport('new'));
});

describe('a file’s own review status and uuids', () => {
  it('keeps a valid status and a free uuid; renews a uuid this database holds', async () => {
    const { db, records } = await seededDb((ds) => [pair(ds, 'run')]);
    const row = (uuid: string, review: string, i: number) =>
      JSON.stringify({ uuid, review, instruction: `Q${i}?`, response: 'A.' });
    const text = [
      row('fresh-uuid', 'kept', 1),
      row(records[0]!.uuid, 'rejected', 2),
      row('fresh-uuid', 'approved', 3),
    ].join('\n');
    const report = await importText(db, text, 'magpie');
    const imported = await recordsOf(db, report.datasetId!);
    expect(imported.map((r) => r.review)).toEqual(['kept', 'rejected', 'unreviewed']);
    expect(imported[0]!.uuid).toBe('fresh-uuid');
    expect(imported[1]!.uuid).not.toBe(records[0]!.uuid);
    expect(imported[2]!.uuid).not.toBe('fresh-uuid');
  });
});

describe('tagging beside the import', () => {
  const run = (db: Awaited<ReturnType<typeof seededDb>>['db'], tagger: Tagger) =>
    importFile(
      db,
      {
        file: new File([many(250)], 'x.jsonl'),
        format: 'sharegpt',
        target: { kind: 'new', name: 'x' },
      },
      {
        importId: crypto.randomUUID(),
        signal: new AbortController().signal,
        onProgress: () => undefined,
        batchSize: 100,
        tagger,
      },
    );

  it('stores the tagger’s tags, in file order, whichever batch finishes first', async () => {
    const { db } = await seededDb(() => []);
    let call = 0;
    const tagger: Tagger = {
      tag: async (pairs) => {
        // Later batches answer sooner: storage must still follow the file.
        await new Promise((r) => setTimeout(r, 30 - 10 * call++));
        return pairs.map((p) => cheapTags(p, 'xx'));
      },
      close: () => undefined,
    };
    const report = await run(db, tagger);
    const records = await recordsOf(db, report.datasetId!);
    expect(records.map((r) => r.instruction)).toEqual(
      Array.from({ length: 250 }, (_, i) => `Question ${i}?`),
    );
    expect(new Set(records.map((r) => r.language))).toEqual(new Set(['xx']));
  });

  it('undoes the import when tagging fails half-way', async () => {
    const { db } = await seededDb(() => []);
    let call = 0;
    const tagger: Tagger = {
      tag: async (pairs) => {
        if (call++ === 1) throw new Error('A tagging worker stopped: out of memory');
        return pairs.map(await loadCheapTagger());
      },
      close: () => undefined,
    };
    await expect(run(db, tagger)).rejects.toThrow('out of memory');
    expect(await db.records.count()).toBe(0);
    expect(await db.datasets.count()).toBe(1);
  });
});

describe('a .json file holding one array', () => {
  it('imports its elements and lists a broken one by the line it starts on', async () => {
    const { db } = await seededDb(() => []);
    const text = [
      '[',
      '  {"instruction": "Name a color.", "input": "", "output": "Blue."},',
      '  {"instruction": "Broken", "output": 7},',
      '  {"instruction": "Add:", "input": "2 and 3", "output": "5"}',
      ']',
    ].join('\n');
    const report = await importText(db, text, 'alpaca');
    expect(report).toMatchObject({ imported: 2, skipped: 1 });
    expect(report.skippedLines).toEqual([{ line: 3, reason: expect.stringContaining('output') }]);
    const records = await recordsOf(db, report.datasetId!);
    expect(records.map((r) => r.instruction)).toEqual(['Name a color.', 'Add:\n2 and 3']);
  });
});
