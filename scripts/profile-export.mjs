// Dev tool: a CPU profile of the engine bench's worker (bench/engine.worker.ts) during its
// export phase, read in Chromium DevTools or any .cpuprofile viewer. Node 20 needs the
// flag for its WebSocket client (the browser's DevTools endpoint):
//   node --experimental-websocket scripts/profile-export.mjs prepare 30000
//     imports 30,000 rows and runs the first catch-up (a derived row per record), kept
//   node --experimental-websocket scripts/profile-export.mjs export [out.cpuprofile]
//     the export phase against that dataset, profiled; run it again after each change
// The browser profile and the dataset id stay in .test-out/profile-export/ between runs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { onDiskContext, pageResult, serveApp } from '../bench/serve.mjs';

const PORT = Number(process.env.CDP_PORT ?? 9304);
const DIR = '.test-out/profile-export';
const mode = process.argv[2];
mkdirSync(DIR, { recursive: true });

// A fixed port, or none: the prepared dataset is kept under the page's origin, port included.
const { server, base } = await serveApp({ port: 5299, strictPort: true });
const context = await onDiskContext(`${DIR}/chromium`, {
  args: [`--remote-debugging-port=${PORT}`],
});
const page = await context.newPage();
page.on('console', (m) => {
  if (m.text().startsWith('bench: ') || m.type() === 'error') console.log(m.text());
});
const result = (url) => pageResult(page, url, 60 * 60_000);

try {
  if (mode === 'prepare') {
    const n = Number(process.argv[3] ?? 30000);
    const q = `records=${n}&phases=import,catch-up,full-dedup&fullDedup=0`;
    const first = await result(`${base}bench/engine.html?${q}`);
    const next = await result(`${base}bench/engine.html?${q}&${first.next}`);
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
    // The browser's own CDP endpoint: a dedicated worker is attached through its page.
    const version = await (await fetch(`http://127.0.0.1:${PORT}/json/version`)).json();
    const ws = new WebSocket(version.webSocketDebuggerUrl);
    await new Promise((r) => ws.addEventListener('open', r));
    let id = 0;
    const waiting = new Map();
    const handlers = [];
    ws.addEventListener('message', (e) => {
      const msg = JSON.parse(e.data);
      if (msg.id && waiting.has(msg.id)) {
        waiting.get(msg.id)(msg);
        waiting.delete(msg.id);
      } else for (const h of handlers) h(msg);
    });
    const send = (method, params = {}, sessionId) =>
      new Promise((resolve) => {
        const mid = ++id;
        waiting.set(mid, resolve);
        ws.send(JSON.stringify({ id: mid, method, params, ...(sessionId && { sessionId }) }));
      });
    const targets = await send('Target.getTargets');
    const pageTarget = targets.result.targetInfos.find((t) => t.type === 'page');
    const attached = await send('Target.attachToTarget', {
      targetId: pageTarget.targetId,
      flatten: true,
    });
    const pageSession = attached.result.sessionId;
    let workerSession;
    const workerReady = new Promise((resolve) =>
      handlers.push(async (msg) => {
        if (msg.method === 'Target.attachedToTarget' && msg.params.targetInfo.type === 'worker') {
          const s = msg.params.sessionId;
          if (!msg.params.targetInfo.url.includes('engine.worker')) {
            await send('Runtime.runIfWaitingForDebugger', {}, s);
            return;
          }
          workerSession = s;
          await send('Profiler.enable', {}, s);
          await send('Profiler.setSamplingInterval', { interval: 200 }, s);
          await send('Profiler.start', {}, s);
          await send('Runtime.runIfWaitingForDebugger', {}, s);
          resolve();
        }
      }),
    );
    await send(
      'Target.setAutoAttach',
      { autoAttach: true, waitForDebuggerOnStart: true, flatten: true },
      pageSession,
    );
    const q = `phases=export,full-dedup&fullDedup=0&phase=export&dataset=${encodeURIComponent(dataset)}`;
    const started = Date.now();
    const [r] = await Promise.all([result(`${base}bench/engine.html?${q}`), workerReady]);
    const profile = await send('Profiler.stop', {}, workerSession);
    writeFileSync(out, JSON.stringify(profile.result.profile));
    console.log(r.lines.join('\n'), `\n(${Math.round((Date.now() - started) / 1000)} s) -> ${out}`);
    ws.close();
  }
} finally {
  await context.close();
  await server.close();
}
