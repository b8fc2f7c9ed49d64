/**
 * The shape of the records in view: counts by status and by each tag, and histograms of
 * instruction and response lengths, drawn with the app's shared charts (ui/charts); they
 * redraw on every filter change at no cost.
 */
import type { ViewShape } from '../../../shared/explorer-api';
import type { FacetKey } from '../../../shared/filter';
import { BarList } from '../../charts/BarList';
import { Histogram } from '../../charts/Histogram';
import { FACET_LABELS, valueLabel } from './FacetPanel';

const CHARTS: FacetKey[] = ['review', 'task_category', 'input_quality', 'difficulty', 'language'];

export function ShapeCharts({ shape }: { shape: ViewShape }) {
  return (
    <section className="xp-charts" aria-label="Shape of the view">
      {CHARTS.map((key) => {
        const counts = shape.byFacet[key];
        if (!counts.length || counts.every((c) => c.value === '')) return null;
        return (
          <BarList
            key={key}
            title={FACET_LABELS[key]}
            items={counts.map((c) => ({
              key: c.value,
              label: valueLabel(c.value),
              count: c.count,
            }))}
          />
        );
      })}
      <Histogram title="Instruction length (chars)" {...shape.instructionLengths} />
      <Histogram title="Response length (chars)" {...shape.responseLengths} />
    </section>
  );
}
