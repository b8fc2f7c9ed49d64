// Page side of the GGUF benchmark: the tiny model (bench/run.mjs writes it) in a worker, as
// the app runs it; decode speed with 1 and N threads, then the pipeline against a bare loop,
// then Stop. `?only=overhead` (or decode, stop; comma-separated) runs those parts alone,
// `?legs=bare,pipeline` only those legs of the overhead.
import * as Comlink from 'comlink';
import type { GgufBench, LegName } from './gguf.worker';

const params = new URLSearchParams(location.search);
const pairs = Number(params.get('pairs') ?? 32);
const tokens = Number(params.get('tokens') ?? 256);
const worker = new Worker(new URL('./gguf.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<GgufBench>(worker);
const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.info(`bench: ${line}`);
};

const res = await fetch('/.test-out/bench-tiny.gguf');
const file = new File([await res.blob()], 'tiny-chatml.gguf');
const cores = navigator.hardwareConcurrency || 1;
const only = params.get('only');
const wanted = (part: string) => !only || only.split(',').includes(part);
say(`cross-origin isolated: ${crossOriginIsolated}; logical cores: ${cores}`);
for (const threads of wanted('decode') ? [...new Set([1, cores])] : []) {
  const r = await bench.decode(file, threads, tokens);
  say(
    `tiny GGUF (n_embd 64, 2 layers, Q8_0) decode on the CPU, ${r.threads} thread(s): ` +
      `${r.decodeTokensPerS.toFixed(0)} tokens/s as llama.cpp times it, ` +
      `${r.wallTokensPerS.toFixed(0)} tokens/s wall (${r.tokens} tokens, load ${r.loadS.toFixed(1)} s)`,
  );
}
const legNames = (params.get('legs') ?? 'bare,streamed,pipeline,quiet').split(',') as LegName[];
if (wanted('overhead')) {
  const o = await bench.overhead(file, pairs, Number(params.get('rounds') ?? 8), legNames);
  const what: Record<LegName, string> = {
    bare: 'bare engine.complete loop of the pipeline’s own requests',
    streamed: 'the same loop streaming every request',
    pipeline: 'pipeline',
    quiet: 'pipeline with no request streamed (live view off)',
    streaming: 'pipeline streaming every sample it follows live',
    perPair: 'pipeline writing each pair in its own transaction',
    oneLane: 'pipeline in one lane, one request at a time',
    bareQueued: 'the bare loop with the next request waiting in llama.cpp’s worker',
  };
  say(
    `GGUF engine, 1 thread, ${o.rounds} rounds taking turns after a warm-up round, ${pairs} pairs a leg:`,
  );
  for (const l of o.legs) {
    const name = l.name;
    say(
      `  ${what[name]}: ${l.tokensPerS.toFixed(1)} tokens/s (${l.tokens} tokens, ${l.requests} requests), ` +
        `ratio ${l.ratio.toFixed(3)}${name === 'pipeline' ? ' (aim >= 0.97)' : ''}; ${l.msPerPair.toFixed(1)} ms a pair: ` +
        `a request in engine.complete ${l.insideMsPerRequest.toFixed(2)} ms per request, none ${l.outsideMsPerPair.toFixed(2)} ms a pair`,
    );
  }
}
if (wanted('stop')) {
  const st = await bench.stop(file, 1500, 5);
  const max = (xs: number[]) => Math.max(...xs).toFixed(0);
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
  say(
    `stop on the GGUF engine (${st.engineMs.length} runs stopped mid-generation, ${st.stored} pairs kept): ` +
      `engine let go in ${median(st.engineMs)} ms median (max ${max(st.engineMs)}), ` +
      `run ended with its writes in ${median(st.runMs)} ms median (max ${max(st.runMs)}) (aim < 1000)`,
  );
}
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
