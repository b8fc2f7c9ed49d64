/**
 * A map region: a polygon in the topic map's coordinates ([-1, 1] on both axes), flat as
 * x0, y0, x1, y1, ... A box or lasso drawn on the map becomes one, and a view filter holds
 * it (in the URL as `region=`), so a selection is a few hundred characters however many
 * points it covers. Which records it holds is answered against the stored positions.
 */

/** Vertices kept in a URL: a freehand lasso has hundreds; 64 follow its outline closely. */
const MAX_VERTICES = 64;
const DECIMALS = 4;

export function simplifyRegion(points: readonly (readonly [number, number])[]): number[] {
  const step = Math.max(1, points.length / MAX_VERTICES);
  const flat: number[] = [];
  for (let i = 0; i < points.length; i += step) {
    const [x, y] = points[Math.floor(i)]!;
    flat.push(round(x), round(y));
  }
  return flat;
}

function round(v: number): number {
  return Number(v.toFixed(DECIMALS));
}

export function formatRegion(region: readonly number[]): string {
  return region.map(round).join(',');
}

/** The polygon in `text`, or undefined if it is not one (odd count, fewer than 3 vertices, not numbers). */
export function parseRegion(text: string | null): number[] | undefined {
  if (!text) return undefined;
  const values = text.split(',').map(Number);
  if (values.length < 6 || values.length % 2 !== 0) return undefined;
  if (!values.every((v) => Number.isFinite(v))) return undefined;
  return values;
}

/** A point-in-polygon test for one region (bounding box first, then even-odd crossings). */
export function regionTest(region: readonly number[]): (x: number, y: number) => boolean {
  const n = region.length / 2;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, region[2 * i]!);
    maxX = Math.max(maxX, region[2 * i]!);
    minY = Math.min(minY, region[2 * i + 1]!);
    maxY = Math.max(maxY, region[2 * i + 1]!);
  }
  const xs = Float64Array.from({ length: n }, (_, i) => region[2 * i]!);
  const ys = Float64Array.from({ length: n }, (_, i) => region[2 * i + 1]!);
  return (x, y) => {
    if (x < minX || x > maxX || y < minY || y > maxY) return false;
    let inside = false;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = ys[i]!;
      const yj = ys[j]!;
      if (yi > y !== yj > y && x < ((xs[j]! - xs[i]!) * (y - yi)) / (yj - yi) + xs[i]!)
        inside = !inside;
    }
    return inside;
  };
}
