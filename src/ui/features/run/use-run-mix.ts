import { liveQuery } from 'dexie';
import { useEffect, useState } from 'react';
import { getDb, type StoredRecord } from '../../../store/db';

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
 * date as pairs arrive and as the judge tags them. Only records changed since the last read
 * are read (the change-stamp index from a watermark), so a long run or a large dataset never
 * costs a pass over the records.
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
    const subscription = liveQuery(() =>
      getDb()
        .records.where('[datasetId+changedAt]')
        .between([datasetId, after], [datasetId, Infinity], false, true)
        .toArray(),
    ).subscribe((fresh: StoredRecord[]) => {
      let changed = false;
      for (const r of fresh) {
        after = Math.max(after, r.changedAt ?? after);
        if (r.runId !== runId || r.createdAt < startedAt) continue;
        const tags: Tags = { language: r.language || 'unknown', category: r.task_category };
        const old = seen.get(r.uuid);
        if (old?.language === tags.language && old.category === tags.category) continue;
        if (old) count(counts, old, -1);
        count(counts, tags, 1);
        seen.set(r.uuid, tags);
        changed = true;
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
