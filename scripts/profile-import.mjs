// Dev tool: a CPU profile of the engine bench's worker (bench/engine.worker.ts) during its
// import phase (a Magpie file of N rows into a new dataset), and the self time of the
// import's own stretch (from the import's first sample to the store baselines' first) by
// function, heaviest first. Node 20 needs the flag for its WebSocket client:
//   node --experimental-websocket scripts/profile-import.mjs [records] [out.cpuprofile]
import { rmSync, writeFileSync } from 'node:fs';
import { openBench, profileWorker } from './bench-browser.mjs';

const PORT = Number(process.env.CDP_PORT ?? 9305);
const DIR = '.test-out/profile-import';
const n = Number(process.argv[2] ?? 30000);
const out = process.argv[3] ?? `${DIR}/import.cpuprofile`;
rmSync(`${DIR}/chromium`, { recursive: true, force: true });
const { result, close } = await openBench(DIR, PORT);
try {
  const { result: r, profile } = await profileWorker(PORT, 'engine.worker', () =>
    result(`bench/engine.html?records=${n}&phases=import`),
  );
  writeFileSync(out, JSON.stringify(profile));
  console.log(r.lines.join('\n'), `-> ${out}`);
  summarize(profile, ['importFile', 'readRows'], 'storeBaseline');
} finally {
  await close();
}

/**
 * Self time by function between the first sample under one of `from` and the first under
 * `to`. Several names: after its first await, an async function's samples show only the
 * function that resumed, not the import that called it.
 */
function summarize(profile, from, to) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const under = (id, name) => {
    for (let at = id; at !== undefined; at = parent.get(at))
      if (byId.get(at).callFrame.functionName === name) return true;
    return false;
  };
  let state = 0; // 0 before the import, 1 in it, 2 after
  const self = new Map();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    if (state === 0 && from.some((name) => under(id, name))) state = 1;
    if (state === 1 && under(id, to)) state = 2;
    if (state !== 1) return;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const f = byId.get(id).callFrame;
    if (f.functionName === '(idle)') idle += dt;
    else total += dt;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/').replace(/\?.*$/, '')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  console.log(
    `import stretch: busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
  );
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${key}`);
}
