// Dev tool: a CPU profile of the engine bench's worker (bench/engine.worker.ts) during its
// export phase, read in Chromium DevTools or any .cpuprofile viewer. Node 20 needs the
// flag for its WebSocket client (the browser's DevTools endpoint):
//   node --experimental-websocket scripts/profile-export.mjs prepare 30000
//     imports 30,000 rows and runs the first catch-up (a derived row per record), kept
//   node --experimental-websocket scripts/profile-export.mjs export [out.cpuprofile]
//     the export phase against that dataset, profiled; run it again after each change
// The browser profile and the dataset id stay in .test-out/profile-export/ between runs.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { openBench, profileWorker } from './bench-browser.mjs';

const PORT = Number(process.env.CDP_PORT ?? 9304);
const DIR = '.test-out/profile-export';
const mode = process.argv[2];
// A prepare starts from an empty browser profile: the bench's seeded records keep their
// uuids from one run to the next, so a second prepare into the same profile would collide.
if (mode === 'prepare') rmSync(`${DIR}/chromium`, { recursive: true, force: true });
const { page, result, close } = await openBench(DIR, PORT);

try {
  if (mode === 'prepare') {
    const n = Number(process.argv[3] ?? 30000);
    const q = `records=${n}&phases=import,catch-up,full-dedup&fullDedup=0`;
    const first = await result(`bench/engine.html?${q}`);
    const next = await result(`bench/engine.html?${q}&${first.next}`);
    const dataset = new URLSearchParams(first.next).get('dataset');
    writeFileSync(`${DIR}/dataset`, dataset);
    const derived = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = globalThis.indexedDB.open('magpie-bench-engine');
          open.onsuccess = () => {
            const req = open.result
              .transaction('recordDerived')
              .objectStore('recordDerived')
              .count();
            req.onsuccess = () => resolve(req.result);
          };
        }),
    );
    console.log(`prepared ${dataset}, ${derived} derived rows`, next.lines);
  } else {
    const dataset = readFileSync(`${DIR}/dataset`, 'utf8');
    const out = process.argv[3] ?? `${DIR}/export.cpuprofile`;
    const q = `phases=export,full-dedup&fullDedup=0&phase=export&dataset=${encodeURIComponent(dataset)}`;
    const started = Date.now();
    const { result: r, profile } = await profileWorker(PORT, 'engine.worker', () =>
      result(`bench/engine.html?${q}`),
    );
    writeFileSync(out, JSON.stringify(profile));
    console.log(r.lines.join('\n'), `\n(${Math.round((Date.now() - started) / 1000)} s) -> ${out}`);
  }
} finally {
  await close();
}
