/**
 * Plain SVG charts shared by every view (the explorer's shape charts, a run's live charts).
 * Plain SVG rather than a chart library: these are bar lists, histograms and small line
 * charts, a few dozen lines each against a dependency (and its bundle) we would still restyle.
 */
import './charts.css';

export interface BarItem {
  key: string;
  label: string;
  count: number;
}

const BAR_H = 16;

/** Horizontal bars, largest first as given, with their counts. */
export function BarList({
  title,
  items,
  max: maxBars = 12,
  width = 260,
  empty = 'none yet',
}: {
  title: string;
  items: BarItem[];
  max?: number;
  width?: number;
  /** Said (and read out) while there is nothing to draw. */
  empty?: string;
}) {
  const shown = items.slice(0, maxBars);
  const max = Math.max(1, ...shown.map((c) => c.count));
  const labelW = 110;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        width={width}
        height={Math.max(1, shown.length) * BAR_H}
        role="img"
        aria-label={`${title}: ${shown.length ? shown.map((c) => `${c.label} ${c.count}`).join(', ') : empty}`}
      >
        {!shown.length && (
          <text x={0} y={BAR_H - 4} className="label">
            {empty}
          </text>
        )}
        {shown.map((c, i) => {
          const w = ((width - labelW - 50) * c.count) / max;
          return (
            <g key={c.key} transform={`translate(0 ${i * BAR_H})`}>
              <text x={labelW - 4} y={BAR_H - 4} textAnchor="end" className="label">
                {c.label.slice(0, 16)}
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
