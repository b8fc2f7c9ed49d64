// Page side of the GGUF benchmark: the tiny model (bench/run.mjs writes it) in a worker, as
// the app runs it; decode speed with 1 and N threads, then the pipeline against a bare loop.
import * as Comlink from 'comlink';
import type { GgufBench } from './gguf.worker';

const params = new URLSearchParams(location.search);
const pairs = Number(params.get('pairs') ?? 12);
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
say(`cross-origin isolated: ${crossOriginIsolated}; logical cores: ${cores}`);
for (const threads of [...new Set([1, cores])]) {
  const r = await bench.decode(file, threads, tokens);
  say(
    `tiny GGUF (n_embd 64, 2 layers, Q8_0) decode on the CPU, ${r.threads} thread(s): ` +
      `${r.decodeTokensPerS.toFixed(0)} tokens/s as llama.cpp times it, ` +
      `${r.wallTokensPerS.toFixed(0)} tokens/s wall (${r.tokens} tokens, load ${r.loadS.toFixed(1)} s)`,
  );
}
const o = await bench.overhead(file, pairs, Number(params.get('rounds') ?? 4));
say(
  `pipeline on the GGUF engine (1 thread, ${o.rounds} rounds taking turns with the bare loop, ${o.pairs} pairs stored, ${o.pipelineTokens} tokens): ` +
    `${o.pipelineTokensPerS.toFixed(1)} tokens/s; bare engine.complete loop (same requests, ` +
    `${o.bareTokens} tokens): ${o.bareTokensPerS.toFixed(1)} tokens/s; ratio ${o.ratio.toFixed(3)} (aim >= 0.97)`,
);
const ms = (x: number) => `${x.toFixed(1)} ms`;
say(
  `GGUF engine per pair: bare loop ${ms(o.msPerPair.bare)}, the same loop streaming every ` +
    `request ${ms(o.msPerPair.streamed)} (ratio ${o.streamedRatio.toFixed(3)}: what a streamed token costs), ` +
    `pipeline ${ms(o.msPerPair.pipeline)}`,
);
const st = await bench.stop(file, 1500, 5);
const max = (xs: number[]) => Math.max(...xs).toFixed(0);
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
say(
  `stop on the GGUF engine (${st.engineMs.length} runs stopped mid-generation, ${st.stored} pairs kept): ` +
    `engine let go in ${median(st.engineMs)} ms median (max ${max(st.engineMs)}), ` +
    `run ended with its writes in ${median(st.runMs)} ms median (max ${max(st.runMs)}) (aim < 1000)`,
);
(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
