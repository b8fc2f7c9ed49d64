/**
 * Coverage of one dataset against another on the topic map: the map cut into square cells,
 * each cell covered by the base, by the other dataset, or by both. The cells' edges fall on
 * multiples of CELL (exact in binary and in a URL's four decimals), and a cell holds the
 * points with floor(x / CELL) == column, as `regionTest` counts a point on a left or bottom
 * edge inside and one on a right or top edge outside, so a region made of cells holds
 * exactly the points the cells were counted from.
 */

/** Cell side in map units (the base map spans [-1, 1]: 32 cells a side). */
export const CELL = 1 / 16;
/** Column and row offsets keeping a cell key positive; the map and its islands fit well inside. */
const SPAN = 1 << 10;

export function cellKey(x: number, y: number): number {
  return (Math.floor(x / CELL) + SPAN) * 2 * SPAN + (Math.floor(y / CELL) + SPAN);
}

export interface Coverage {
  /** Cells holding points of the base only, of the other dataset only, of both. */
  onlyBase: number;
  onlyOther: number;
  both: number;
  /** The cells only the base covers, as one region (empty when there are none). */
  onlyBaseRegion: number[];
}

function cellsOf(xy: Float32Array): Set<number> {
  const cells = new Set<number>();
  for (let k = 0; k < xy.length; k += 2) cells.add(cellKey(xy[k]!, xy[k + 1]!));
  return cells;
}

export function coverage(base: Float32Array, other: Float32Array): Coverage {
  const a = cellsOf(base);
  const b = cellsOf(other);
  let both = 0;
  for (const c of a) if (b.has(c)) both++;
  const onlyBase = [...a].filter((c) => !b.has(c));
  return {
    onlyBase: onlyBase.length,
    onlyOther: b.size - both,
    both,
    onlyBaseRegion: cellsRegion(onlyBase),
  };
}

/**
 * Cells as one polygon for `regionTest`: each row's runs of adjacent cells become
 * rectangles, visited from one point outside them all and back along the same segment.
 * A segment walked twice crosses any ray twice, so the even-odd test sees only the
 * rectangles, and a point lies in at most one of them.
 */
export function cellsRegion(cells: readonly number[]): number[] {
  if (!cells.length) return [];
  const sorted = [...cells].sort((p, q) => p - q);
  const cols = (c: number) => Math.floor(c / (2 * SPAN)) - SPAN;
  const rows = (c: number) => (c % (2 * SPAN)) - SPAN;
  // Runs along a column of cells (keys of one column are consecutive by row).
  const runs: [number, number, number][] = [];
  for (const c of sorted) {
    const last = runs.at(-1);
    if (last && last[0] === cols(c) && last[2] === rows(c)) last[2]++;
    else runs.push([cols(c), rows(c), rows(c) + 1]);
  }
  const ox = -4;
  const oy = -4;
  const out = [ox, oy];
  for (const [col, r0, r1] of runs) {
    const x0 = col * CELL;
    const x1 = (col + 1) * CELL;
    const y0 = r0 * CELL;
    const y1 = r1 * CELL;
    out.push(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0, ox, oy);
  }
  return out;
}
