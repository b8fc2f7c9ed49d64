/**
 * Coverage against another dataset: pick one, place it on this map (its records embedded
 * and placed with this map's fit, in the map worker), then see both in two colours with
 * their counts and which cells of the map each covers alone. The cells only this dataset
 * covers can become the explorer's region filter.
 */
import type { MapOverlay } from '../../../shared/map-api';
import type { Dataset } from '../../../shared/record';
import { COMPARE_COLORS } from './palette';

interface ChooseProps {
  others: Dataset[];
  compareId: string | undefined;
  placed: boolean;
  busy: boolean;
  onCompare: (id: string) => void;
  onPlace: () => void;
}

export function CompareControls({
  others,
  compareId,
  placed,
  busy,
  onCompare,
  onPlace,
}: ChooseProps) {
  if (!others.length) return null;
  return (
    <>
      <label>
        Compare with
        <select value={compareId ?? ''} onChange={(e) => onCompare(e.target.value)}>
          <option value="">no other dataset</option>
          {others.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      {compareId && (
        <button type="button" disabled={busy} onClick={onPlace}>
          {placed ? 'Place it again' : 'Place it on this map'}
        </button>
      )}
    </>
  );
}

interface LegendProps {
  baseName: string;
  baseCount: number;
  otherName: string;
  overlay: MapOverlay;
}

export function CompareLegend({ baseName, baseCount, otherName, overlay }: LegendProps) {
  const rows = [
    { name: baseName, count: baseCount },
    { name: otherName, count: overlay.xy.length / 2 },
  ];
  return (
    <div className="map-legend">
      <h3>dataset</h3>
      <ul className="map-legend" aria-label="Colour: dataset">
        {rows.map((r, i) => (
          <li key={i} data-dataset={i === 0 ? 'base' : 'other'}>
            <span className="swatch" style={{ background: COMPARE_COLORS[i] }} />
            <span className="grow">{r.name}</span>
            <span className="count">{r.count.toLocaleString()}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface CoverageProps {
  baseName: string;
  otherName: string;
  overlay: MapOverlay;
  onSelectOnlyBase: (region: number[]) => void;
}

export function CoverageSummary({ baseName, otherName, overlay, onSelectOnlyBase }: CoverageProps) {
  const { onlyBase, onlyOther, both, onlyBaseRegion } = overlay.coverage;
  return (
    <p className="muted" data-testid="map-coverage">
      Ground covered (the map cut into squares a thirty-second of its width):{' '}
      <strong data-cells="only-base">{onlyBase.toLocaleString()}</strong> only by {baseName},{' '}
      <strong data-cells="only-other">{onlyOther.toLocaleString()}</strong> only by {otherName},{' '}
      <strong data-cells="both">{both.toLocaleString()}</strong> by both.
      {overlay.novel > 0 &&
        ` ${overlay.novel.toLocaleString()} records of ${otherName} are near nothing in ${baseName}: the islands on the right.`}
      {onlyBaseRegion.length > 0 && (
        <>
          {' '}
          <button type="button" className="link" onClick={() => onSelectOnlyBase(onlyBaseRegion)}>
            Select the squares only {baseName} covers
          </button>
        </>
      )}
    </p>
  );
}
