import type { RunRecord } from '../../../shared/run';
import { getDb } from '../../../store/db';
import { runsOfDataset } from '../../../store/runs';
import { useLiveOf } from '../../lib/use-live-of';

interface Props {
  datasetId: string | undefined;
  connectedModel: string | undefined;
  activeRunId: string | undefined;
  onResume: (run: RunRecord) => void;
}

const RESUMABLE = new Set(['stopped', 'interrupted', 'failed']);

/** The runs of this dataset; one that ended early can be resumed from where it stopped. */
export function RunsList({ datasetId, connectedModel, activeRunId, onResume }: Props) {
  // Only this dataset's runs: a Resume pressed on the list of the dataset just switched away
  // from would go on writing into that one.
  const runs = useLiveOf(datasetId, (id) => runsOfDataset(getDb(), id));
  if (!runs?.length) return null;
  return (
    <section className="card" aria-labelledby="runs-h">
      <h2 id="runs-h">Runs</h2>
      <table className="runs">
        <thead>
          <tr>
            <th>Started</th>
            <th>Model</th>
            <th>Pairs</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const canResume =
              RESUMABLE.has(run.status) && run.made < run.settings.target && !activeRunId;
            const sameModel = connectedModel === run.model;
            return (
              <tr key={run.id} data-run-status={run.status}>
                <td>{new Date(run.createdAt).toLocaleString()}</td>
                <td>
                  <code>{run.model}</code>
                </td>
                <td>
                  {run.made} / {run.settings.target}
                </td>
                <td title={run.error ? `${run.error.message} ${run.error.hint}` : undefined}>
                  {run.status}
                </td>
                <td>
                  {canResume && (
                    <button
                      type="button"
                      disabled={!sameModel}
                      title={sameModel ? undefined : `Connect ${run.model} to resume this run`}
                      onClick={() => onResume(run)}
                    >
                      Resume
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
