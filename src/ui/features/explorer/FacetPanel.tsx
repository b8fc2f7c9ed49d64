/**
 * Facets: for each, its values with how many records choosing that value would show
 * (counted under the rest of the filter). Ticking values narrows the view to records with
 * any of them; a facet no record has a value for is hidden.
 */
import { useState } from 'react';
import type { FacetCount } from '../../../shared/explorer-api';
import type { FacetKey, ViewFilter } from '../../../shared/filter';

export const FACET_LABELS: Record<FacetKey, string> = {
  review: 'Status',
  model: 'Model',
  task_category: 'Category',
  input_quality: 'Input quality',
  difficulty: 'Difficulty',
  language: 'Language',
  finish: 'Response finish',
  tag_failure: 'Tag failure',
  turns: 'Turns',
};
const ORDER: FacetKey[] = [
  'review',
  'model',
  'task_category',
  'input_quality',
  'difficulty',
  'language',
  'finish',
  'tag_failure',
  'turns',
];
const SHOW = 10;

export const valueLabel = (v: string) => (v === '' ? '(none)' : v);

interface Props {
  facets: Record<FacetKey, FacetCount[]>;
  filter: ViewFilter;
  onFilter: (filter: ViewFilter) => void;
}

export function FacetPanel({ facets, filter, onFilter }: Props) {
  const toggle = (key: FacetKey, value: string) => {
    const chosen = filter.facets?.[key] ?? [];
    const next = chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value];
    const rest = { ...filter.facets };
    if (next.length) rest[key] = next;
    else delete rest[key];
    onFilter({ ...filter, facets: rest });
  };
  return (
    <nav className="xp-facets" aria-label="Facets">
      {ORDER.map((key) => {
        const counts = facets[key] ?? [];
        const chosen = filter.facets?.[key] ?? [];
        if (!chosen.length && counts.every((c) => c.value === '')) return null;
        return <Facet key={key} name={key} counts={counts} chosen={chosen} onToggle={toggle} />;
      })}
    </nav>
  );
}

function Facet(props: {
  name: FacetKey;
  counts: FacetCount[];
  chosen: string[];
  onToggle: (key: FacetKey, value: string) => void;
}) {
  const [all, setAll] = useState(false);
  const { name, counts, chosen } = props;
  const shown = all ? counts : counts.slice(0, SHOW);
  return (
    <fieldset>
      <legend>{FACET_LABELS[name]}</legend>
      {shown.map((c) => (
        <label key={c.value} className="check facet-value">
          <input
            type="checkbox"
            checked={chosen.includes(c.value)}
            onChange={() => props.onToggle(name, c.value)}
          />
          <span className="facet-name">{valueLabel(c.value)}</span>
          <span className="count">{c.count.toLocaleString()}</span>
        </label>
      ))}
      {counts.length > SHOW && (
        <button type="button" className="link" onClick={() => setAll(!all)}>
          {all ? 'Fewer' : `All ${counts.length}`}
        </button>
      )}
    </fieldset>
  );
}
