import { getDb } from '../src/store/db';
const db = getDb();
const lines: string[] = [];
const snap = await db.explorerSnapshots.get('bench-explorer');
lines.push(
  `snapshot segments ${JSON.stringify(snap?.segments)} n=${snap?.columns.n} orders=${snap?.orders.map((o) => o.key)}`,
);
const segs = await db.explorerSegments.toArray();
lines.push(
  `segment rows ${segs.length}: ${segs.map((s) => `${s.id}:${s.count}/${(s.postings.length / 1e6).toFixed(1)}MB/${s.terms.length}`).join(' ')}`,
);
(window as unknown as { benchResult: unknown }).benchResult = { lines };
