// Page side of the pipeline benchmark: starts the worker, asks for one measurement.
import * as Comlink from 'comlink';
import type { PipelineBench } from './pipeline.worker';

const params = new URLSearchParams(location.search);
const pairs = Number(params.get('pairs') ?? 5000);
const concurrency = Number(params.get('concurrency') ?? 8);
const worker = new Worker(new URL('./pipeline.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<PipelineBench>(worker);
const result = await bench.measure(pairs, concurrency);
(window as unknown as { benchResult: unknown }).benchResult = result;
document.getElementById('out')!.textContent = JSON.stringify(result, null, 2);
