/**
 * Quality: Magpie's curation pipeline for the current dataset. Cheap tags come with every
 * record; here the user finds near-duplicates, tags records with the connected model as
 * judge, and applies the authors' filter recipe (or their own) as review statuses.
 */
import type { ViewProps } from '../../view-props';
import { ErrorNote } from '../../lib/ErrorNote';
import { DuplicatesCard } from './DuplicatesCard';
import { JudgeCard } from './JudgeCard';
import { RecipeCard } from './RecipeCard';
import { useQualitySummary } from './use-quality-summary';

export function QualityView({ datasetId, connection }: ViewProps) {
  if (!datasetId) {
    return (
      <section className="card">
        <h2>Quality</h2>
        <p>Create or choose a dataset first.</p>
      </section>
    );
  }
  return <DatasetQuality key={datasetId} datasetId={datasetId} connection={connection} />;
}

function DatasetQuality({ datasetId, connection }: ViewProps & { datasetId: string }) {
  const { summary, error, refresh } = useQualitySummary(datasetId);
  return (
    <div className="columns">
      <div>
        <JudgeCard
          datasetId={datasetId}
          connection={connection}
          summary={summary}
          onChanged={refresh}
        />
        <DuplicatesCard datasetId={datasetId} summary={summary} onChanged={refresh} />
        <ErrorNote error={error} />
      </div>
      <RecipeCard datasetId={datasetId} summary={summary} onApplied={refresh} />
    </div>
  );
}
