/**
 * Another dataset on this map, for coverage: its instructions embedded with the map's fitted
 * model and placed against the map's sample, the step that places records added later.
 *
 * That step puts a record at its nearest sample points, and a record near nothing on the map
 * (a topic the map lacks) still has nearest points: those sharing its common words, all over
 * the map. Placed there it would hide exactly what coverage looks for. So a record whose
 * nearest sample point is less similar than almost every sample point's nearest other one
 * is new ground: those records are laid out on their own (the same projection, fitted on
 * them) as islands beside the map, where no map record lies.
 */
import { prng } from '../shared/seeded';
import type { Anchors } from '../store/map-layout-format';
import { NeighbourSearch, place, project, sampleIndices, type Checkpoint } from './project';

/** Sample points whose nearest other sample point sets the bar for "near the map". */
const CALIBRATION = 2000;
/** The share of the map's own points that would count as new ground by that bar. */
const NOVEL_QUANTILE = 0.02;
/** Islands sit right of the map ([-1, 1]), scaled down to leave the map the room. */
const ISLAND_X = 1.55;
const ISLAND_SCALE = 0.45;

/** The similarity below which a record is near nothing on the map. */
export function nearnessBar(anchors: Anchors, seed: number): number {
  const m = anchors.vectors.length / anchors.dims;
  if (m < 2) return -Infinity;
  const search = new NeighbourSearch(anchors, 2);
  const sims: number[] = [];
  for (const a of sampleIndices(m, CALIBRATION, prng(seed ^ 0xca11))) {
    search.find(anchors.vectors, a);
    // The point itself comes first, unless a duplicate of it ranks above.
    const other = search.ids[0] === a ? search.sims[1]! : search.sims[0]!;
    if (Number.isFinite(other)) sims.push(other);
  }
  if (!sims.length) return -Infinity;
  sims.sort((p, q) => p - q);
  return sims[Math.floor(sims.length * NOVEL_QUANTILE)]!;
}

export interface OverlayPlacement {
  xy: Float32Array;
  /** 1 where the record is new ground (on an island). */
  novel: Uint8Array;
}

export async function placeOverlay(
  anchors: Anchors,
  vectors: Float32Array,
  seed: number,
  checkpoint: Checkpoint,
): Promise<OverlayPlacement> {
  const { dims } = anchors;
  const n = vectors.length / dims;
  const bar = nearnessBar(anchors, seed);
  const xy = new Float32Array(n * 2);
  const novel = new Uint8Array(n);
  const search = new NeighbourSearch(anchors, 8);
  const island: number[] = [];
  for (let i = 0; i < n; i++) {
    place(anchors, search, vectors, i, xy, i);
    if (search.sims[0]! < bar) {
      novel[i] = 1;
      island.push(i);
    }
    if (i % 500 === 0) await checkpoint({ phase: 'place', done: i, total: n });
  }
  if (island.length) {
    const own = new Float32Array(island.length * dims);
    island.forEach((i, j) => own.set(vectors.subarray(i * dims, (i + 1) * dims), j * dims));
    const laid = (await project(own, dims, { seed }, checkpoint)).xy;
    island.forEach((i, j) => {
      xy[2 * i] = ISLAND_X + ISLAND_SCALE * laid[2 * j]!;
      xy[2 * i + 1] = ISLAND_SCALE * laid[2 * j + 1]!;
    });
  }
  return { xy, novel };
}
