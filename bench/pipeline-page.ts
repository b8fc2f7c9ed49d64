// Page side of the pipeline benchmark: starts the worker, asks for one measurement.
import * as Comlink from 'comlink';
import type { PipelineBench } from './pipeline.worker';

const pairs = Number(new URLSearchParams(location.search).get('pairs') ?? 5000);
const worker = new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<PipelineBench>(worker);
const lines: string[] = [];
for (const concurrency of [1, 8]) {
  const r = await bench.measure(pairs, concurrency);
  lines.push(
    `pipeline overhead (worker + cleaning + tags + IndexedDB, instant engine, ${r.concurrency} in flight): ` +
      `${r.pairs} pairs in ${r.seconds.toFixed(2)} s = ${r.pairsPerSecond.toFixed(0)} pairs/s (aim: >= 500)`,
  );
}
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
