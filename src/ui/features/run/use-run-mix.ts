import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import { getDb, type StoredRecord } from '../../../store/db';
import type { RecordDerived } from '../../../store/derived-row';

export interface RunMix {
  language: Map<string, number>;
  category: Map<string, number>;
}

interface Tags {
  language: string;
  category: string | undefined;
}

/**
 * The language and category mix of the pairs a run stored since it started here, kept up to
 * date as pairs arrive and as the judge tags them. Only records and derived rows changed
 * since the last read are read (each table's change-stamp index from a watermark), so a long
 * run or a large dataset never costs a pass over the records.
 */
export function useRunMix(
  datasetId: string | undefined,
  runId: string | undefined,
  startedAt: number | undefined,
): RunMix {
  // Tagged with the run it counts, so another run never shows this one's mix.
  const key = `${runId}@${startedAt}`;
  const [counted, setCounted] = useState<{ key: string; mix: RunMix }>();

  useEffect(() => {
    if (!datasetId || !runId || startedAt === undefined) return;
    const seen = new Map<string, Tags>();
    const counts = emptyMix();
    let after = startedAt;
    let derivedAfter = startedAt;
    // Records bring their language; the judge's category arrives later as a derived row.
    const subscription = liveQuery(async () => {
      const db = getDb();
      const [records, rows] = await Promise.all([
        db.records
          .where('[datasetId+changedAt]')
          .between([datasetId, after], [datasetId, Infinity], false, true)
          .toArray(),
        db.recordDerived
          .where('[datasetId+changedAt]')
          .between([datasetId, derivedAfter], [datasetId, Infinity], false, true)
          .toArray(),
      ]);
      return { records, rows };
    }).subscribe(({ records, rows }: { records: StoredRecord[]; rows: RecordDerived[] }) => {
      let changed = false;
      const note = (uuid: string, tags: Tags) => {
        const old = seen.get(uuid);
        if (old?.language === tags.language && old.category === tags.category) return;
        if (old) count(counts, old, -1);
        count(counts, tags, 1);
        seen.set(uuid, tags);
        changed = true;
      };
      for (const r of records) {
        after = Math.max(after, r.changedAt ?? after);
        if (r.runId !== runId || r.createdAt < startedAt) continue;
        const old = seen.get(r.uuid);
        note(r.uuid, {
          language: r.language || 'unknown',
          category: old?.category ?? r.task_category,
        });
      }
      for (const row of rows) {
        derivedAfter = Math.max(derivedAfter, row.changedAt ?? derivedAfter);
        const old = seen.get(row.uuid);
        if (!old) continue; // not this run's
        const { language, task_category } = row.fields;
        note(row.uuid, {
          language: language === undefined ? old.language : language || 'unknown',
          category: task_category === undefined ? old.category : (task_category ?? undefined),
        });
      }
      if (changed)
        setCounted({
          key,
          mix: { language: new Map(counts.language), category: new Map(counts.category) },
        });
    });
    return () => subscription.unsubscribe();
  }, [datasetId, runId, startedAt, key]);

  return counted?.key === key ? counted.mix : EMPTY;
}

const EMPTY: RunMix = emptyMix();

function emptyMix(): RunMix {
  return { language: new Map(), category: new Map() };
}

function count(mix: RunMix, tags: Tags, by: 1 | -1) {
  bump(mix.language, tags.language, by);
  if (tags.category) bump(mix.category, tags.category, by);
}

function bump(map: Map<string, number>, key: string, by: number) {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}
