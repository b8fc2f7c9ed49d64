/** Counts in equal bins from 0, the last bin open-ended. */
import './charts.css';

export function Histogram({
  title,
  binWidth,
  counts,
}: {
  title: string;
  binWidth: number;
  counts: number[];
}) {
  const max = Math.max(1, ...counts);
  const width = 260;
  const height = 90;
  const bw = width / Math.max(1, counts.length);
  return (
    <figure className="chart">
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
