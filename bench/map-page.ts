// Page side of the map benchmark: 300,000 instructions embedded and projected in a worker
// while the page counts its longest stall, then the positions drawn with regl-scatterplot
// and panned/zoomed a frame at a time, timing frame intervals.
import * as Comlink from 'comlink';
import createScatterplot from 'regl-scatterplot';
import type { MapBench } from './map.worker';

const params = new URLSearchParams(location.search);
const count = Number(params.get('n') ?? 300_000);
const worker = new Worker(new URL('./map.worker.ts', import.meta.url), { type: 'module' });
const bench = Comlink.wrap<MapBench>(worker);
const n = (x: number) => Math.round(x).toLocaleString('en');
const lines: string[] = [];

let last = performance.now();
let stallMs = 0;
const timer = setInterval(() => {
  const now = performance.now();
  stallMs = Math.max(stallMs, now - last - 16);
  last = now;
}, 16);
const result = await bench.run(count);
clearInterval(timer);
const phases = Object.entries(result.phases)
  .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
  .join(', ');
lines.push(
  `map, text method: ${n(count)} instructions embedded and projected in ${(result.ms / 1000).toFixed(1)} s ` +
    `(aim < 180 s; ${phases}); ${result.labels} labelled regions; longest page stall ${stallMs.toFixed(0)} ms (aim < 100 ms)`,
);
console.info(`bench: ${lines[lines.length - 1]}`);

const canvas = document.getElementById('map') as HTMLCanvasElement;
const plot = createScatterplot({ canvas, width: 'auto', height: 'auto', pointSize: 3 });
const total = result.xy.length / 2;
const x = new Float32Array(total);
const y = new Float32Array(total);
const z = new Float32Array(total);
for (let k = 0; k < total; k++) {
  x[k] = result.xy[2 * k]!;
  y[k] = result.xy[2 * k + 1]!;
  z[k] = k % 12;
}
const drawStarted = performance.now();
await plot.set({
  colorBy: 'valueA',
  pointColor: Array.from({ length: 12 }, (_, i) => `hsl(${i * 30}, 70%, 45%)`),
});
await plot.draw({ x, y, valueA: z }, { zDataType: 'categorical' });
const drawMs = performance.now() - drawStarted;

/** Frame intervals while the camera moves every frame (pan in a circle, zoom in and out). */
async function frames(count: number): Promise<number[]> {
  const gaps: number[] = [];
  let prev = await new Promise<number>((r) => requestAnimationFrame(r));
  for (let f = 0; f < count; f++) {
    const t = f / count;
    void plot.zoomToLocation(
      [0.5 * Math.cos(t * 6.28), 0.5 * Math.sin(t * 6.28)],
      0.4 + 0.6 * Math.abs(Math.sin(t * 9)),
      {
        transition: false,
      },
    );
    const now = await new Promise<number>((r) => requestAnimationFrame(r));
    gaps.push(now - prev);
    prev = now;
  }
  return gaps;
}
await frames(30);
const gaps = (await frames(240)).sort((a, b) => a - b);
const p = (q: number) => gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))]!;
lines.push(
  `map rendering (regl-scatterplot, WebGL on this machine's ${glRenderer()}): ${n(total)} points drawn in ${drawMs.toFixed(0)} ms; ` +
    `pan/zoom frame intervals p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${p(1).toFixed(1)} ms (aim p95 < 16 ms)`,
);
console.info(`bench: ${lines[lines.length - 1]}`);

function glRenderer(): string {
  const gl = document.createElement('canvas').getContext('webgl');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl!.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown GPU';
  return /swiftshader/i.test(name) ? 'software renderer (SwiftShader, no GPU)' : name;
}

(window as unknown as { benchResult: unknown }).benchResult = { lines };
document.getElementById('out')!.textContent = lines.join('\n');
