/**
 * What a write to a stored map layout is known by: the map worker answers it after each write
 * (a compute, records placed later, another dataset placed on the map) and the page passes it
 * on, so the dataset worker, which holds the layout, knows to read it again.
 */
import type { MapLayoutRow } from '../store/map-layout-format';

export function layoutStamp(row: Pick<MapLayoutRow, 'version' | 'overlays'>): number {
  let stamp = row.version;
  for (const o of row.overlays ?? []) stamp = Math.max(stamp, o.computedAt);
  return stamp;
}
