// Page side of the near-duplicate benchmark: the work runs in a worker while the page
// counts how long its own thread is ever held up (it should stay responsive throughout).
import * as Comlink from 'comlink';
import type { DedupBench } from './dedup.worker';
import { watched } from './main-thread';

const params = new URLSearchParams(location.search);
const count = Number(params.get('n') ?? 300_000);
// IndexedDB writes cost ~0.25 ms a record here, so the stored pass uses 100k by default.
const storedCount = Number(params.get('stored') ?? 100_000);
const worker = new Worker(new URL('./dedup.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<DedupBench>(worker);

const n = (x: number) => Math.round(x).toLocaleString('en');
const lines: string[] = [];
const { avgChars } = await bench.prepare(count + 1000);
const mem = await watched(() => bench.inMemory());
lines.push(
  `near-duplicates, text method (MinHash + LSH + clusters, in a worker): ${n(count + 1000)} instructions ` +
    `(avg ${avgChars} chars) in ${(mem.value.ms / 1000).toFixed(1)} s = ${n(((count + 1000) / mem.value.ms) * 1000)}/s ` +
    `(aim: 300,000 in < 30 s); ${n(mem.value.clusters)} clusters, ${n(mem.value.duplicates)} duplicates; ` +
    `longest page stall ${mem.stallMs.toFixed(0)} ms (${mem.summary})`,
);
await bench.seed(storedCount);
const db = await watched(() => bench.stored(storedCount, 1000));
const { full, phases, catchUpMs, caughtUp } = db.value;
lines.push(
  `near-duplicates over IndexedDB (read ${n(full?.records ?? 0)} records, compare, write fields): ` +
    `${((full?.ms ?? 0) / 1000).toFixed(1)} s (read and compare ${((phases.comparing ?? 0) / 1000).toFixed(1)} s, ` +
    `write ${((phases.writing ?? 0) / 1000).toFixed(1)} s), ${n(full?.updated ?? 0)} records written; ` +
    `1,000 new pairs caught up in ${catchUpMs.toFixed(0)} ms (${n(caughtUp)} records written); ` +
    `longest page stall ${db.stallMs.toFixed(0)} ms (${db.summary})`,
);
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
