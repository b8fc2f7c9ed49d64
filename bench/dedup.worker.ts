// The near-duplicate benchmark's worker: the real text method (MinHash + LSH + clusters),
// first on instructions in memory, then over a stored dataset (read, compare, write back),
// then catching up on pairs that arrive later. The page only watches.
import * as Comlink from 'comlink';
import { MinHashStore, normalise } from '../src/quality/dedup/minhash';
import { NeighbourIndex } from '../src/quality/dedup/neighbour-index';
import { TextDedup } from '../src/quality/dedup/text-dedup';
import { DEFAULT_TEXT_THRESHOLD } from '../src/shared/quality';
import { MagpieDB } from '../src/store/db';
import { pair } from '../src/test-support/fixtures';
import { syntheticInstructions } from './dedup-data';

const RESPONSE = 'A reply of realistic length, with a few sentences of explanation. '.repeat(12);
let instructions: string[] = [];

function prepare(count: number): { avgChars: number } {
  instructions = syntheticInstructions(count);
  const chars = instructions.reduce((sum, t) => sum + t.length, 0);
  return { avgChars: Math.round(chars / count) };
}

/** The computation alone: every instruction added to one index, fields read back. */
function inMemory() {
  const started = performance.now();
  const index = new NeighbourIndex(new MinHashStore(), DEFAULT_TEXT_THRESHOLD);
  instructions.forEach((text, i) => {
    const key = normalise(text);
    index.add(`r${i}`, i, key, () => key);
  });
  let notFirst = 0; // reading every record's fields is part of the work
  for (let d = 0; d < index.size; d++) {
    if (index.fields(d).min_similar_uuid !== index.uuidOf(d)) notFirst++;
  }
  return { ms: performance.now() - started, notFirst, ...index.counts() };
}

let db: MagpieDB | undefined;

/** Stores `count` records (not measured: that is the import's or the pipeline's cost). */
async function seed(count: number) {
  db = new MagpieDB(`magpie-bench-dedup-${Date.now()}`);
  const records = instructions
    .slice(0, count)
    .map((instruction, i) =>
      pair('bench', 'run', { instruction, response: RESPONSE, createdAt: i }),
    );
  for (let i = 0; i < records.length; i += 5000)
    await db.records.bulkAdd(records.slice(i, i + 5000));
}

/** One full pass over the stored records, then a catch-up on `arriving` new ones. */
async function stored(storedCount: number, arriving: number) {
  if (!db) throw new Error('seed first');
  const dedup = new TextDedup(db, 'bench', DEFAULT_TEXT_THRESHOLD);
  const phases: Record<string, number> = {};
  let mark = performance.now();
  let phase = '';
  const full = await dedup.fullPass(undefined, (p) => {
    if (p.phase === phase) return;
    const now = performance.now();
    if (phase) phases[phase] = now - mark;
    [phase, mark] = [p.phase, now];
  });
  if (phase) phases[phase] = performance.now() - mark;
  const later = instructions
    .slice(storedCount, storedCount + arriving)
    .map((instruction, i) =>
      pair('bench', 'run', { instruction, response: RESPONSE, createdAt: storedCount + i }),
    );
  await db.records.bulkAdd(later);
  const started = performance.now();
  const caught = await dedup.catchUp();
  const catchUpMs = performance.now() - started;
  await db.delete();
  return { full, phases, catchUpMs, caughtUp: caught?.updated ?? 0 };
}

const api = { prepare, inMemory, seed, stored };
export type DedupBench = typeof api;
Comlink.expose(api);
