import { useState } from 'react';
import { getDb } from '../../../store/db';
import { useLiveOf } from '../../lib/use-live-of';
import type { ViewProps } from '../../view-props';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { undoAbandonedImports } from './pending-imports';
import './transfer.css';

// At app start (views.ts loads this module), not when the view opens: no view of the app
// should show a dataset holding half an import from a tab that closed mid-way.
void undoAbandonedImports();

/** Export the current dataset for a trainer, or bring someone else's dataset in. */
export function TransferView({ datasetId }: ViewProps) {
  // Never the panel of the dataset just switched away from: a choice set there would be lost.
  const dataset = useLiveOf(datasetId, (id) => getDb().datasets.get(id));
  // Bumped when an import lands in this dataset, so the export's count reads it again.
  const [imports, setImports] = useState(0);
  return (
    <div className="columns">
      {dataset ? (
        <ExportPanel
          key={dataset.id}
          datasetId={dataset.id}
          datasetName={dataset.name}
          refresh={imports}
        />
      ) : (
        <section className="card">
          <h2>Export</h2>
          <p className="muted">Pick or create a dataset above to export it.</p>
        </section>
      )}
      <ImportPanel
        datasetId={dataset?.id}
        datasetName={dataset?.name}
        onImported={() => setImports((n) => n + 1)}
      />
    </div>
  );
}
