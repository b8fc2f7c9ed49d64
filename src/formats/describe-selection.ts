/**
 * The records an export took, in words for the dataset card: the explorer's filter
 * (the same ViewFilter recordMatches applies) and the review statuses.
 */
import { FACET_KEYS, RANGE_KEYS, type ViewFilter } from '../shared/filter';
import type { ExportSelection } from '../shared/transfer-api';

const shown = (value: string) => (value === '' ? '(none)' : value);

export function describeFilter(filter: ViewFilter): string[] {
  const out: string[] = [];
  const q = filter.q?.trim();
  if (q)
    out.push(`search ${JSON.stringify(q)}: each word begins a word of the instruction or response`);
  for (const key of FACET_KEYS) {
    const values = filter.facets?.[key];
    if (values?.length) out.push(`${key} is ${values.map(shown).join(' or ')}`);
  }
  for (const key of RANGE_KEYS) {
    const range = filter.ranges?.[key];
    if (!range) continue;
    const [lo, hi] = range;
    if (lo !== null && hi !== null) out.push(`${key} from ${lo} to ${hi}`);
    else if (lo !== null) out.push(`${key} at least ${lo}`);
    else if (hi !== null) out.push(`${key} at most ${hi}`);
  }
  if (filter.endsWithColon === true) out.push('instruction ends with ":"');
  if (filter.endsWithColon === false) out.push('instruction does not end with ":"');
  return out;
}

export function describeSelection(selection: ExportSelection): string[] {
  if (selection.scope === 'all') return ['the whole dataset, every review status'];
  const head =
    selection.scope === 'view' ? 'the explorer’s current view' : 'records by review status';
  const rules = describeFilter(selection.filter);
  return [head, ...(rules.length ? rules : ['no filter'])];
}
