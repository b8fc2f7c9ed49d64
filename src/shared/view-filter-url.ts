/**
 * The view filter in the URL: the explorer writes it, the export view reads the same
 * parameters, so a link, a reload or back/forward reproduces exactly the rows on screen.
 *
 *   q=word word                 search
 *   f.<facet>=value (repeated)  facet values; an empty value means "no value"
 *   r.<range>=lo..hi            inclusive range; either side may be empty
 *   colon=only | exclude        instructions ending with ':'
 *   region=x,y,x,y,...          a polygon on the topic map (shared/region.ts)
 */
import { FACET_KEYS, RANGE_KEYS, type ViewFilter } from './filter';
import { formatRegion, parseRegion } from './region';

const COLON = { only: true, exclude: false } as const;

export function parseViewFilter(params: URLSearchParams): ViewFilter {
  const filter: ViewFilter = {};
  const q = params.get('q')?.trim();
  if (q) filter.q = q;
  for (const key of FACET_KEYS) {
    const values = [...new Set(params.getAll(`f.${key}`))];
    if (values.length) (filter.facets ??= {})[key] = values;
  }
  for (const key of RANGE_KEYS) {
    const range = parseRange(params.get(`r.${key}`));
    if (range) (filter.ranges ??= {})[key] = range;
  }
  const colon = params.get('colon');
  if (colon === 'only' || colon === 'exclude') filter.endsWithColon = COLON[colon];
  const region = parseRegion(params.get('region'));
  if (region) filter.region = region;
  return filter;
}

/** Replaces every filter parameter in `params` (other parameters stay) with `filter`'s. */
export function writeViewFilter(params: URLSearchParams, filter: ViewFilter): void {
  const names = new Set<string>();
  params.forEach((_, name) => names.add(name)); // forEach: workers' lib has no keys()
  for (const name of names)
    if (
      name === 'q' ||
      name === 'colon' ||
      name === 'region' ||
      name.startsWith('f.') ||
      name.startsWith('r.')
    )
      params.delete(name);
  const q = filter.q?.trim();
  if (q) params.set('q', q);
  for (const key of FACET_KEYS)
    for (const value of filter.facets?.[key] ?? []) params.append(`f.${key}`, value);
  for (const key of RANGE_KEYS) {
    const range = filter.ranges?.[key];
    if (range && (range[0] !== null || range[1] !== null))
      params.set(`r.${key}`, `${range[0] ?? ''}..${range[1] ?? ''}`);
  }
  if (filter.endsWithColon !== undefined)
    params.set('colon', filter.endsWithColon ? 'only' : 'exclude');
  if (filter.region) params.set('region', formatRegion(filter.region));
}

function parseRange(text: string | null): [number | null, number | null] | undefined {
  const m = text?.match(/^\s*(-?[\d.e+]*)\s*\.\.\s*(-?[\d.e+]*)\s*$/);
  if (!m) return undefined;
  const side = (s: string) => (s === '' ? null : Number(s));
  const lo = side(m[1]!);
  const hi = side(m[2]!);
  if ((lo !== null && !Number.isFinite(lo)) || (hi !== null && !Number.isFinite(hi)))
    return undefined;
  if (lo === null && hi === null) return undefined;
  return [lo, hi];
}
