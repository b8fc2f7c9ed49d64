/**
 * Which records a map region holds, answered from the stored layout: export (which
 * filters records one by one) asks per uuid.
 */
import type { RegionMembership, ViewFilter } from '../shared/filter';
import { regionTest } from '../shared/region';
import type { MagpieDB } from '../store/db';
import { layoutUuids } from '../store/map-layout-format';

/** undefined when the filter has no region; else a test (everything outside if there is no map). */
export async function mapRegionMembership(
  db: MagpieDB,
  datasetId: string,
  filter: ViewFilter,
): Promise<RegionMembership | undefined> {
  if (!filter.region) return undefined;
  const layout = await db.mapLayouts.get(datasetId);
  const inside = new Set<string>();
  if (layout) {
    const test = regionTest(filter.region);
    const uuids = layoutUuids(layout);
    for (let p = 0; p < uuids.length; p++)
      if (test(layout.xy[2 * p]!, layout.xy[2 * p + 1]!)) inside.add(uuids[p]!);
  }
  return (uuid) => inside.has(uuid);
}
