/**
 * Region labels: the map's points grouped by k-means in 2-D, each group named by the words
 * that are frequent in it and rare elsewhere (class-based TF-IDF over a seeded sample of
 * instructions: labels need typical words, not every record).
 */
import { prng } from '../shared/seeded';
import { textWords } from '../shared/filter';
import type { MapLabel } from '../shared/map-api';
import { sampleIndices } from './project';

const SAMPLE = 30_000;
const ROUNDS = 12;
const TERMS = 3;
/** Short function words in the languages people most often generate in; digits are skipped too. */
const STOP = new Set(
  (
    'a an and are as at be by can could do does for from have how i if in into is it its me my ' +
    'not of on or our should so than that the their them then there these they this to us ' +
    'was we what when where which who why will with would you your please give write explain ' +
    'describe provide some any about also more most use using make need want help like one ' +
    'de la le les des et en un une el los las y que del der die das und ist'
  ).split(' '),
);

export function regionCount(n: number): number {
  return Math.max(1, Math.min(16, Math.round(Math.sqrt(n / 40))));
}

export function labelRegions(
  xy: Float32Array,
  textOf: (i: number) => string,
  seed: number,
  k = regionCount(xy.length / 2),
): MapLabel[] {
  const n = xy.length / 2;
  if (n === 0) return [];
  const rand = prng(seed ^ 0x1abe1);
  const picked = sampleIndices(n, Math.min(n, SAMPLE), rand);
  const m = picked.length;
  k = Math.min(k, m);
  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  // k-means++ seeding: each next centre drawn with odds by squared distance to the nearest
  // centre so far, so separate islands each get one (random starts often miss one).
  const near = new Float64Array(m).fill(Infinity);
  for (let c = 0; c < k; c++) {
    let s = Math.floor(rand() * m);
    if (c > 0) {
      let total = 0;
      for (let i = 0; i < m; i++) total += near[i]!;
      let r = rand() * total;
      for (s = 0; s < m - 1 && (r -= near[s]!) > 0; s++);
    }
    cx[c] = xy[picked[s]! * 2]!;
    cy[c] = xy[picked[s]! * 2 + 1]!;
    for (let i = 0; i < m; i++) {
      const d = (xy[picked[i]! * 2]! - cx[c]!) ** 2 + (xy[picked[i]! * 2 + 1]! - cy[c]!) ** 2;
      if (d < near[i]!) near[i] = d;
    }
  }
  const group = new Uint16Array(m);
  for (let round = 0; round <= ROUNDS; round++) {
    for (let s = 0; s < m; s++) {
      const x = xy[picked[s]! * 2]!;
      const y = xy[picked[s]! * 2 + 1]!;
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (x - cx[c]!) ** 2 + (y - cy[c]!) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      group[s] = best;
    }
    if (round === ROUNDS) break;
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const count = new Uint32Array(k);
    for (let s = 0; s < m; s++) {
      sx[group[s]!]! += xy[picked[s]! * 2]!;
      sy[group[s]!]! += xy[picked[s]! * 2 + 1]!;
      count[group[s]!]!++;
    }
    for (let c = 0; c < k; c++)
      if (count[c]) {
        cx[c] = sx[c]! / count[c]!;
        cy[c] = sy[c]! / count[c]!;
      }
  }
  // Word -> documents containing it, per group and overall.
  const perGroup = Array.from({ length: k }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  const size = new Uint32Array(k);
  for (let s = 0; s < m; s++) {
    const g = group[s]!;
    size[g]!++;
    const words = new Set<string>();
    textWords(textOf(picked[s]!).slice(0, 1000), (w) => {
      if (w.length > 2 && !STOP.has(w) && !/^\d+$/.test(w)) words.add(w);
    });
    for (const w of words) {
      perGroup[g]!.set(w, (perGroup[g]!.get(w) ?? 0) + 1);
      overall.set(w, (overall.get(w) ?? 0) + 1);
    }
  }
  const labels: MapLabel[] = [];
  for (let c = 0; c < k; c++) {
    if (!size[c]) continue;
    const scored: [string, number][] = [];
    for (const [w, inGroup] of perGroup[c]!) {
      if (inGroup < 2 && size[c]! > 10) continue;
      const share = inGroup / size[c]!;
      const lift = inGroup / overall.get(w)!;
      scored.push([w, share * lift]);
    }
    scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    labels.push({
      x: cx[c]!,
      y: cy[c]!,
      terms: scored.slice(0, TERMS).map(([w]) => w),
      count: Math.round((size[c]! * n) / m),
    });
  }
  return labels.filter((l) => l.terms.length > 0);
}
