/**
 * A run's language and category mix, counted from the dataset index's columns (the run's
 * key, creation time and the two facets), so the run's live charts cost the page nothing
 * and the worker no read beyond its own catch-up.
 */
import type { RunMixCounts } from '../shared/explorer-api';
import { stringHash, type Columns } from './columns';

export function runMix(cols: Columns, runId: string, startedAt: number): RunMixCounts {
  const run = stringHash(runId);
  const runs = cols.keys.run;
  const languages = new Map<number, number>();
  const categories = new Map<number, number>();
  const lang = cols.facets.language;
  const cat = cols.facets.task_category;
  for (let o = 0; o < cols.n; o++) {
    if (runs[o] !== run || !cols.alive[o] || cols.createdAt[o]! < startedAt) continue;
    languages.set(lang[o]!, (languages.get(lang[o]!) ?? 0) + 1);
    categories.set(cat[o]!, (categories.get(cat[o]!) ?? 0) + 1);
  }
  const named = (counts: Map<number, number>, values: readonly string[], none?: string) => {
    const out: [string, number][] = [];
    for (const [code, count] of counts) {
      const value = values[code] || none;
      if (value) out.push([value, count]);
    }
    return out;
  };
  return {
    language: named(languages, cols.dicts.language.values, 'unknown'),
    category: named(categories, cols.dicts.task_category.values),
  };
}
