/**
 * The shape of the records in view: counts by status and by each tag, and histograms of
 * instruction and response lengths. Plain SVG rather than a chart library: these are bar
 * lists and histograms, ~100 lines here against a dependency (and its bundle) for charts
 * we would still have to restyle; they redraw on every filter change at no cost.
 */
import type { FacetCount, Histogram, ViewShape } from '../../../shared/explorer-api';
import type { FacetKey } from '../../../shared/filter';
import { FACET_LABELS, valueLabel } from './FacetPanel';

const CHARTS: FacetKey[] = ['review', 'task_category', 'input_quality', 'difficulty', 'language'];
const BAR_H = 16;
const MAX_BARS = 12;

export function ShapeCharts({ shape }: { shape: ViewShape }) {
  return (
    <section className="xp-charts" aria-label="Shape of the view">
      {CHARTS.map((key) => {
        const counts = shape.byFacet[key];
        if (!counts.length || counts.every((c) => c.value === '')) return null;
        return <Bars key={key} title={FACET_LABELS[key]} counts={counts} />;
      })}
      <Histo title="Instruction length (chars)" histogram={shape.instructionLengths} />
      <Histo title="Response length (chars)" histogram={shape.responseLengths} />
    </section>
  );
}

function Bars({ title, counts }: { title: string; counts: FacetCount[] }) {
  const shown = counts.slice(0, MAX_BARS);
  const max = Math.max(1, ...shown.map((c) => c.count));
  const width = 260;
  const labelW = 110;
  return (
    <figure>
      <figcaption>{title}</figcaption>
      <svg
        width={width}
        height={shown.length * BAR_H}
        role="img"
        aria-label={`${title}: ${shown.map((c) => `${valueLabel(c.value)} ${c.count}`).join(', ')}`}
      >
        {shown.map((c, i) => {
          const w = ((width - labelW - 50) * c.count) / max;
          return (
            <g key={c.value} transform={`translate(0 ${i * BAR_H})`}>
              <text x={labelW - 4} y={BAR_H - 4} textAnchor="end" className="label">
                {valueLabel(c.value).slice(0, 16)}
              </text>
              <rect x={labelW} y={2} width={Math.max(w, c.count ? 1 : 0)} height={BAR_H - 4} />
              <text x={labelW + w + 4} y={BAR_H - 4} className="value">
                {c.count.toLocaleString()}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function Histo({ title, histogram }: { title: string; histogram: Histogram }) {
  const { binWidth, counts } = histogram;
  const max = Math.max(1, ...counts);
  const width = 260;
  const height = 90;
  const bw = width / counts.length;
  return (
    <figure>
      <figcaption>{title}</figcaption>
      <svg
        width={width}
        height={height + 14}
        role="img"
        aria-label={`${title}, bins of ${binWidth}`}
      >
        {counts.map((c, i) => {
          const h = (height * c) / max;
          return (
            <rect key={i} x={i * bw + 1} y={height - h} width={Math.max(1, bw - 2)} height={h}>
              <title>{`${i * binWidth}–${(i + 1) * binWidth - 1}${i === counts.length - 1 ? '+' : ''}: ${c.toLocaleString()}`}</title>
            </rect>
          );
        })}
        <text x={0} y={height + 12} className="label">
          0
        </text>
        <text x={width} y={height + 12} textAnchor="end" className="label">
          {(counts.length * binWidth).toLocaleString()}+
        </text>
      </svg>
    </figure>
  );
}
