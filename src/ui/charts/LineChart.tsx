import './charts.css';

export interface Point {
  x: number;
  y: number;
}

/**
 * A small line chart of one series over time (x in seconds from the start): the latest
 * value large beside the title, the range on the axis, no gridlines to read.
 */
export function LineChart({
  title,
  points,
  unit,
  width = 220,
  height = 60,
}: {
  title: string;
  points: Point[];
  unit: string;
  width?: number;
  height?: number;
}) {
  const last = points.at(-1);
  const maxY = Math.max(1e-9, ...points.map((p) => p.y));
  const minX = points[0]?.x ?? 0;
  const spanX = Math.max(1e-9, (last?.x ?? 0) - minX);
  const path = points
    .map((p, i) => {
      const x = ((p.x - minX) / spanX) * width;
      const y = height - (p.y / maxY) * (height - 4);
      return `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    })
    .join(' ');
  const latest = last ? `${last.y.toFixed(1)} ${unit}` : '—';
  return (
    <figure className="chart line">
      <figcaption>
        {title} <strong>{latest}</strong>
      </figcaption>
      <svg
        width={width}
        height={height + 14}
        role="img"
        aria-label={`${title} over time: now ${latest}, peak ${maxY.toFixed(1)} ${unit}`}
      >
        <path d={path} />
        <text x={0} y={height + 12} className="label">
          {Math.round(minX)} s
        </text>
        <text x={width} y={height + 12} textAnchor="end" className="label">
          {Math.round(last?.x ?? 0)} s
        </text>
        <text x={2} y={10} className="label">
          {maxY.toFixed(1)}
        </text>
      </svg>
    </figure>
  );
}
