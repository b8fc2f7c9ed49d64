import { languageName } from '../../../shared/languages';
import { DROP_REASON_LABELS, type DropCounts, type DropReason } from '../../../shared/run';
import { BarList, type BarItem } from '../../charts/BarList';
import { LineChart } from '../../charts/LineChart';
import type { SpeedPoint } from './use-run';
import { useRunMix } from './use-run-mix';

interface Props {
  datasetId: string | undefined;
  runId: string;
  startedAt: number | undefined;
  history: SpeedPoint[];
  dropped: DropCounts;
}

/**
 * A run at a glance: its speed over time, what it dropped and why, and the language and
 * category mix of what it stored. Loaded with the first run's progress, not with the page.
 */
export function RunCharts({ datasetId, runId, startedAt, history, dropped }: Props) {
  const mix = useRunMix(datasetId, runId, startedAt);
  const drops: BarItem[] = (Object.entries(dropped) as [DropReason, number][])
    .filter(([, n]) => n)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => ({ key: reason, label: DROP_REASON_LABELS[reason], count: n }));
  return (
    <section className="run-charts" aria-label="Run charts">
      <LineChart
        title="Pairs/min"
        unit="pairs/min"
        points={history.map((p) => ({ x: p.elapsedS, y: p.pairsPerMin }))}
      />
      <LineChart
        title="Tokens/s"
        unit="tokens/s"
        points={history.map((p) => ({ x: p.elapsedS, y: p.tokensPerS }))}
      />
      <BarList title="Drops by reason" items={drops} />
      <BarList
        title="Language"
        items={asItems(mix.language, (code) => (code === 'unknown' ? code : languageName(code)))}
      />
      <BarList
        title="Category"
        items={asItems(mix.category, (c) => c)}
        empty="none yet (the judge tags categories)"
      />
    </section>
  );
}

function asItems(counts: Map<string, number>, label: (key: string) => string): BarItem[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => ({ key, label: label(key), count }));
}
