// Dev tools' shared set-up: the engine bench page (bench/engine.html) served and opened as
// bench/run.mjs does (bench/serve.mjs), with a persistent profile, and a CPU profile of
// one of the page's dedicated workers through the browser's DevTools endpoint (Node 20
// needs --experimental-websocket for its WebSocket client). Used by profile-export.mjs and
// profile-import.mjs.
import { mkdirSync } from 'node:fs';
import { onDiskContext, pageResult, serveApp } from '../bench/serve.mjs';

/** The bench served and a browser open on `dir` (its profile kept between runs). */
export async function openBench(dir, cdpPort) {
  mkdirSync(dir, { recursive: true });
  // A fixed port, or none: a prepared dataset is kept under the page's origin, port included.
  // BENCH_PORT lets two profilers run side by side.
  const port = Number(process.env.BENCH_PORT ?? 5299);
  const { server, base } = await serveApp({ port, strictPort: true });
  const context = await onDiskContext(`${dir}/chromium`, {
    args: [`--remote-debugging-port=${cdpPort}`],
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.text().startsWith('bench: ') || m.type() === 'error') console.log(m.text());
  });
  /** Loads a bench URL (relative to the server) and answers its benchResult. */
  const result = (path) => pageResult(page, `${base}${path}`, 60 * 60_000);
  const close = async () => {
    await context.close();
    await server.close();
  };
  return { page, result, close };
}

/**
 * Runs `load` (a page load of the bench) with the CPU profiler on in the dedicated worker
 * whose URL contains `workerUrl`, from its first line; answers load's result and the profile.
 */
export async function profileWorker(cdpPort, workerUrl, load) {
  // The browser's own CDP endpoint: a dedicated worker is attached through its page.
  const version = await (await fetch(`http://127.0.0.1:${cdpPort}/json/version`)).json();
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
  try {
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
          if (!msg.params.targetInfo.url.includes(workerUrl)) {
            // The one wanted may be this worker's own (the import's tag workers are).
            await send(
              'Target.setAutoAttach',
              { autoAttach: true, waitForDebuggerOnStart: true, flatten: true },
              s,
            );
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
    const [result] = await Promise.all([load(), workerReady]);
    const profile = await send('Profiler.stop', {}, workerSession);
    return { result, profile: profile.result.profile };
  } finally {
    ws.close();
  }
}
