// The map benchmark's worker: the real text method over synthetic instructions (embedding,
// UMAP on the sample, placement of the rest, labels), timed per phase. The page watches.
import * as Comlink from 'comlink';
import { embedTexts } from '../src/map/embed-texts';
import { labelRegions } from '../src/map/labels';
import { DIMS } from '../src/map/lexical';
import type { MapProgress } from '../src/shared/map-api';
import { project } from '../src/map/project';
import { syntheticInstructions } from './dedup-data';

/** The app's map worker reports progress this often (map-service.ts); the page shows it. */
const REPORT_EVERY_MS = 150;

async function run(count: number, onProgress: (p: MapProgress) => void) {
  const texts = syntheticInstructions(count);
  let lastReport = 0;
  const phases: Record<string, number> = {};
  let phase = '';
  let since = performance.now();
  const started = since;
  const checkpoint = async (p: MapProgress) => {
    const now = performance.now();
    if (p.phase !== phase || now - lastReport > REPORT_EVERY_MS) {
      lastReport = now;
      void onProgress(p);
    }
    if (p.phase !== phase) {
      if (phase) phases[phase] = (phases[phase] ?? 0) + now - since;
      phase = p.phase;
      since = now;
      console.info(`bench:   ${p.phase}…`);
    }
    // The real worker yields here so a stop is heard; the cost belongs in the figure.
    if (p.done % 20_000 === 0) await new Promise((r) => setTimeout(r, 0));
  };
  const { vectors } = await embedTexts(texts, 1, checkpoint);
  const { xy } = await project(vectors, DIMS, { seed: 1 }, checkpoint);
  await checkpoint({ phase: 'label', done: 0, total: 1 });
  const labels = labelRegions(xy, (i) => texts[i]!, 1);
  await checkpoint({ phase: 'save', done: 0, total: 1 });
  return Comlink.transfer({ ms: performance.now() - started, phases, labels, xy }, [xy.buffer]);
}

const api = { run };
export type MapBench = typeof api;
Comlink.expose(api);
