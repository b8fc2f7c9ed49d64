// Page side of the server-engine benchmark: the run in a worker (as the app runs it) against
// the local test servers bench/run.mjs started (their addresses come in the query).
import * as Comlink from 'comlink';
import type { ServerBench } from './server.worker';

const query = new URLSearchParams(location.search);
const pairs = Number(query.get('pairs') ?? 200);
const latencyS = Number(query.get('latencyMs') ?? 300) / 1000;
const worker = new Worker(new URL('./server.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<ServerBench>(worker);
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.info(`bench: ${line}`);
};

for (const [name, url] of [
  ['vLLM-like (takes n and prompt arrays)', query.get('vllm')],
  ['Ollama-like (refuses batches)', query.get('ollama')],
] as const) {
  if (!url) continue;
  const r = await bench.measure(url, pairs);
  const perRound = r.batchSize * r.connections;
  // The ideal of the batching used: one instruction request (n samples) and one response
  // request (n prompts) per batch, i.e. batch-size pairs per 2 latencies per connection, in
  // whole rounds of connections x batch size pairs. Unbatched: min(connections, 6) pairs.
  const lanes = r.batched ? perRound : Math.min(r.connections, 6);
  const ideal = r.pairs / (Math.ceil(r.pairs / lanes) * 2 * latencyS);
  say(
    `server engine, ${name}, ${r.connections} connections x batch ${r.batchSize}: ${r.pairs} pairs ` +
      `in ${r.seconds.toFixed(2)} s = ${r.pairsPerSecond.toFixed(1)} pairs/s; ideal ${ideal.toFixed(1)} ` +
      `(${Math.ceil(r.pairs / lanes)} rounds of ${2 * latencyS} s), ratio ${(r.pairsPerSecond / ideal).toFixed(2)} ` +
      `(aim >= 0.9); ${(r.pairsPerSecond / 6.6).toFixed(1)}x the unbatched 6.6 pairs/s`,
  );
}
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
