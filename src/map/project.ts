/**
 * From unit vectors to 2-D positions. UMAP (umap-js) on all of 300,000 points would take far
 * longer than this machine allows, so it is fitted on a seeded sample, and every other
 * point is placed at the similarity-weighted mean of its nearest sample points (the same
 * step places records added later, without a recompute). Nearest sample points are found
 * through a coarse quantiser: the sample is grouped around CELLS k-means centres and a point
 * compares itself with the members of its PROBE closest cells only.
 *
 * Deterministic for a seed: umap-js draws every random number from the function it is
 * given, and sampling and k-means use the same seeded generator.
 */
import { UMAP } from 'umap-js';
import type { MapProgress } from '../shared/map-api';
import { prng } from '../shared/seeded';
import { dot } from './lexical';
import type { Anchors } from '../store/map-layout-format';

export const SAMPLE = 8000;
const CELLS = 96;
const PROBE = 3;
const NEIGHBOURS = 8;
const KMEANS_ROUNDS = 6;
/** umap-js would run 500 epochs on a small sample; 200 settle a layout this size already. */
const EPOCHS = 200;

export interface ProjectOptions {
  seed: number;
  /** Points UMAP is fitted on (the rest are placed); SAMPLE by default. */
  sample?: number;
  /** UMAP epochs; umap-js picks by size when absent. */
  epochs?: number;
}

/** Yields to the worker's event loop (so a stop message is heard) and reports progress. */
export type Checkpoint = (p: MapProgress) => Promise<void>;

export interface Projection {
  /** x, y per point, in [-1, 1] (the renderer's coordinates). */
  xy: Float32Array;
  anchors: Anchors;
}

/** Seeded choice of k of n indices, sorted. */
export function sampleIndices(n: number, k: number, rand: () => number): Uint32Array {
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  for (let i = 0; i < Math.min(k, n - 1); i++) {
    const j = i + Math.floor(rand() * (n - i));
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.slice(0, Math.min(k, n)).sort();
}

export async function project(
  vectors: Float32Array,
  dims: number,
  opts: ProjectOptions,
  checkpoint: Checkpoint,
): Promise<Projection> {
  const n = vectors.length / dims;
  const rand = prng(opts.seed);
  const picked = sampleIndices(n, opts.sample ?? SAMPLE, rand);
  const m = picked.length;
  const sample = new Float32Array(m * dims);
  for (let i = 0; i < m; i++)
    sample.set(vectors.subarray(picked[i]! * dims, (picked[i]! + 1) * dims), i * dims);

  await checkpoint({ phase: 'fit', done: 0, total: 1 });
  const cells = buildCells(sample, dims, rand);
  const sampleXY = await fitUmap(cells, m, rand, opts.epochs, checkpoint);
  normalise(sampleXY);
  const anchors: Anchors = { ...cells, xy: sampleXY };

  const xy = new Float32Array(n * 2);
  const isSample = new Uint8Array(n);
  for (let i = 0; i < m; i++) {
    isSample[picked[i]!] = 1;
    xy[picked[i]! * 2] = sampleXY[i * 2]!;
    xy[picked[i]! * 2 + 1] = sampleXY[i * 2 + 1]!;
  }
  const search = new NeighbourSearch(anchors, NEIGHBOURS);
  const CHUNK = 2000;
  for (let start = 0; start < n; start += CHUNK) {
    await checkpoint({ phase: 'place', done: start, total: n });
    for (let i = start; i < Math.min(n, start + CHUNK); i++)
      if (!isSample[i]) place(anchors, search, vectors, i, xy, i);
  }
  return { xy, anchors };
}

async function fitUmap(
  cells: Omit<Anchors, 'xy'>,
  m: number,
  rand: () => number,
  epochs: number | undefined,
  checkpoint: Checkpoint,
): Promise<Float32Array> {
  const xy = new Float32Array(m * 2);
  const k = Math.min(15, m - 1);
  if (m < 4) {
    // UMAP needs a neighbourhood; a handful of points is laid out on a line.
    for (let i = 0; i < m; i++) xy[i * 2] = i;
    return xy;
  }
  // umap-js's own neighbour search (NN-descent over number[][]) dominates its run time;
  // the cells answer the same question (approximately) in a fraction of it.
  const knnIndices: number[][] = [];
  const knnDistances: number[][] = [];
  const search = new NeighbourSearch(cells, k);
  for (let i = 0; i < m; i++) {
    search.find(cells.vectors, i);
    const ids = [i];
    const dist = [0];
    for (let q = 0; q < k && ids.length < k; q++) {
      const id = search.ids[q]!;
      if (id < 0 || id === i) continue;
      ids.push(id);
      dist.push(Math.sqrt(Math.max(0, 2 - 2 * search.sims[q]!)));
    }
    while (ids.length < k) {
      ids.push(ids[ids.length - 1]!);
      dist.push(dist[dist.length - 1]!);
    }
    knnIndices.push(ids);
    knnDistances.push(dist);
    if (i % 1000 === 0) await checkpoint({ phase: 'fit', done: 0, total: 1 });
  }
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: k,
    minDist: 0.1,
    random: rand,
    nEpochs: epochs ?? EPOCHS,
  });
  umap.setPrecomputedKNN(knnIndices, knnDistances);
  // Only its length and the kNN above are read: UMAP's own search is not used.
  const rows: number[][] = Array.from({ length: m }, () => []);
  const total = umap.initializeFit(rows);
  for (let e = 0; e < total; e++) {
    umap.step();
    if (e % 5 === 0) await checkpoint({ phase: 'fit', done: e, total });
  }
  const emb = umap.getEmbedding();
  for (let i = 0; i < m; i++) {
    xy[i * 2] = emb[i]![0]!;
    xy[i * 2 + 1] = emb[i]![1]!;
  }
  return xy;
}

/** Centres and scales positions into [-1, 1], keeping the aspect ratio. */
export function normalise(xy: Float32Array): void {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]!);
    maxX = Math.max(maxX, xy[i]!);
    minY = Math.min(minY, xy[i + 1]!);
    maxY = Math.max(maxY, xy[i + 1]!);
  }
  const scale = 1.9 / Math.max(maxX - minX, maxY - minY, 1e-9);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  for (let i = 0; i < xy.length; i += 2) {
    xy[i] = (xy[i]! - cx) * scale;
    xy[i + 1] = (xy[i + 1]! - cy) * scale;
  }
}

/** Spherical k-means over the sample (a few rounds are enough for a search structure). */
function buildCells(sample: Float32Array, dims: number, rand: () => number): Omit<Anchors, 'xy'> {
  const m = sample.length / dims;
  const k = Math.max(1, Math.min(CELLS, Math.floor(m / 20)));
  const centres = new Float32Array(k * dims);
  const start = sampleIndices(m, k, rand);
  for (let c = 0; c < k; c++)
    centres.set(sample.subarray(start[c]! * dims, (start[c]! + 1) * dims), c * dims);
  const cellOf = new Uint32Array(m);
  const assign = () => {
    for (let i = 0; i < m; i++) {
      let best = 0;
      let bestSim = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dot(centres, c, sample, i, dims);
        if (s > bestSim) {
          bestSim = s;
          best = c;
        }
      }
      cellOf[i] = best;
    }
  };
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    assign();
    centres.fill(0);
    for (let i = 0; i < m; i++)
      for (let d = 0; d < dims; d++) centres[cellOf[i]! * dims + d]! += sample[i * dims + d]!;
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += centres[c * dims + d]! ** 2;
      if (norm === 0) {
        const r = Math.floor(rand() * m);
        centres.set(sample.subarray(r * dims, (r + 1) * dims), c * dims);
      } else for (let d = 0; d < dims; d++) centres[c * dims + d]! /= Math.sqrt(norm);
    }
  }
  assign();
  const cellStart = new Uint32Array(k + 1);
  for (let i = 0; i < m; i++) cellStart[cellOf[i]! + 1]!++;
  for (let c = 0; c < k; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, k);
  const cellItems = new Uint32Array(m);
  for (let i = 0; i < m; i++) cellItems[fill[cellOf[i]!]!++] = i;
  return { dims, vectors: sample, centres, cellStart, cellItems };
}

/**
 * Approximate nearest anchors of a vector: the members of its PROBE most similar cells,
 * best `k` kept in `ids` / `sims` (-1 / -Infinity where fewer were found). Buffers are
 * reused: this runs once per point.
 */
export class NeighbourSearch {
  readonly ids: Int32Array;
  readonly sims: Float64Array;
  private cellIds = new Int32Array(PROBE);
  private cellSims = new Float64Array(PROBE);

  constructor(
    private readonly cells: Omit<Anchors, 'xy'>,
    private readonly k: number,
  ) {
    this.ids = new Int32Array(k);
    this.sims = new Float64Array(k);
  }

  find(vectors: Float32Array, i: number): void {
    const { dims, centres, cellStart, cellItems } = this.cells;
    const nCells = cellStart.length - 1;
    const { cellIds, cellSims, ids, sims, k } = this;
    cellIds.fill(-1);
    cellSims.fill(-Infinity);
    for (let c = 0; c < nCells; c++)
      keepBest(cellIds, cellSims, PROBE, c, dot(centres, c, vectors, i, dims));
    ids.fill(-1);
    sims.fill(-Infinity);
    for (let q = 0; q < PROBE; q++) {
      const c = cellIds[q]!;
      if (c < 0) break;
      for (let p = cellStart[c]!; p < cellStart[c + 1]!; p++) {
        const a = cellItems[p]!;
        keepBest(ids, sims, k, a, dot(this.cells.vectors, a, vectors, i, dims));
      }
    }
  }
}

/** Inserts (id, sim) into the descending top list if it makes the cut. */
function keepBest(ids: Int32Array, sims: Float64Array, k: number, id: number, s: number): void {
  if (s <= sims[k - 1]!) return;
  let at = k - 1;
  while (at > 0 && sims[at - 1]! < s) {
    sims[at] = sims[at - 1]!;
    ids[at] = ids[at - 1]!;
    at--;
  }
  sims[at] = s;
  ids[at] = id;
}

/**
 * Places row `i` of `vectors` at the weighted mean of its nearest anchors (weights grow
 * steeply with similarity, so a near-duplicate sits on its twin), writing x, y at out[2j].
 */
export function place(
  anchors: Anchors,
  search: NeighbourSearch,
  vectors: Float32Array,
  i: number,
  out: Float32Array,
  j: number,
): void {
  search.find(vectors, i);
  const { ids, sims } = search;
  let x = 0;
  let y = 0;
  let total = 0;
  for (let q = 0; q < ids.length && ids[q]! >= 0; q++) {
    const w = Math.exp(12 * (sims[q]! - sims[0]!));
    x += w * anchors.xy[ids[q]! * 2]!;
    y += w * anchors.xy[ids[q]! * 2 + 1]!;
    total += w;
  }
  out[j * 2] = total > 0 ? x / total : 0;
  out[j * 2 + 1] = total > 0 ? y / total : 0;
}
