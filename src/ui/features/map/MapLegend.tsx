/** The map's legend: each colour's value and how many points have it, or the gradient's range. */
import {
  MAP_COLOR_LABELS,
  OTHER_VALUE,
  isCategoryColor,
  type MapColorField,
  type MapPoints,
} from '../../../shared/map-api';
import { CATEGORY_COLORS, GRADIENT } from './palette';

export function MapLegend({ points, colorBy }: { points: MapPoints; colorBy: MapColorField }) {
  if (colorBy === 'none' || !points.legend.length) return <div className="map-legend" />;
  if (!isCategoryColor(colorBy)) {
    const [lo, hi] = points.range ?? [0, 0];
    const missing = points.legend.find((e) => e.value === '')?.count ?? 0;
    return (
      <div className="map-legend" aria-label={`Colour: ${MAP_COLOR_LABELS[colorBy]}`}>
        <h3>{MAP_COLOR_LABELS[colorBy]}</h3>
        <div
          className="map-gradient"
          style={{ background: `linear-gradient(to right, ${GRADIENT.join(', ')})` }}
        />
        <div className="row map-gradient-ends">
          <span>{fmt(lo)}</span>
          <span>{fmt(hi)}</span>
        </div>
        {missing > 0 && <p className="muted">{missing.toLocaleString()} without a value</p>}
      </div>
    );
  }
  return (
    <ul className="map-legend" aria-label={`Colour: ${MAP_COLOR_LABELS[colorBy]}`}>
      <h3>{MAP_COLOR_LABELS[colorBy]}</h3>
      {points.legend.map((e, i) => (
        <li key={`${i}:${e.value}`} data-value={e.value}>
          <span className="swatch" style={{ background: CATEGORY_COLORS[i] }} />
          <span className="grow" title={e.label && e.value}>
            {e.value === OTHER_VALUE ? 'other values' : (e.label ?? (e.value || '(no value)'))}
          </span>
          <span className="count">{e.count.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(3);
}
