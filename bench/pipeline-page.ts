// Page side of the pipeline benchmark: starts the worker, asks for the measurements.
import * as Comlink from 'comlink';
import type { PipelineBench } from './pipeline.worker';

const params = new URLSearchParams(location.search);
const pairs = Number(params.get('pairs') ?? 5000);
const shaped = Number(params.get('shaped') ?? 1000);
const worker = new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<PipelineBench>(worker);
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.info(`bench: ${line}`);
};
for (const concurrency of [1, 8]) {
  const r = await bench.measure(pairs, concurrency);
  say(
    `pipeline overhead (worker + cleaning + tags + IndexedDB, instant engine, ${r.concurrency} in flight): ` +
      `${r.pairs} pairs in ${r.seconds.toFixed(2)} s = ${r.pairsPerSecond.toFixed(0)} pairs/s (aim: >= 500)`,
  );
}
for (const shape of ['3-turn', 'preference'] as const) {
  const r = await bench.measure(shaped, 8, shape);
  const what =
    shape === '3-turn' ? '3-turn conversations' : 'preference records (5 judged responses)';
  say(
    `pipeline overhead, ${what}, instant engine, 8 in flight: ` +
      `${r.pairs} in ${r.seconds.toFixed(2)} s = ${r.pairsPerSecond.toFixed(0)} records/s (aim: >= 500)`,
  );
}
const [off, on] = await bench.nearDuplicateSaving(Math.min(shaped, 1000));
say(
  `tokens per kept pair, 30% of instructions repeating: ${off!.tokensPerKept.toFixed(0)} without the near-duplicate check, ` +
    `${on!.tokensPerKept.toFixed(0)} with it = ${(100 * (1 - on!.tokensPerKept / off!.tokensPerKept)).toFixed(0)}% fewer (aim: >= 25%)`,
);
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
