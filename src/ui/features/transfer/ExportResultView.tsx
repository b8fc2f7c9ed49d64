import type { ExportResult } from '../../../shared/transfer-api';
import { formatBytes } from '../model/connection';
import { saveText } from './save-file';

/** What an export wrote, what it left out, and its dataset card to save next to it. */
export function ExportResultView({ result }: { result: ExportResult & { fileName: string } }) {
  if (result.cancelled) {
    return (
      <p role="status" data-testid="export-result">
        Export cancelled; no file was written.
      </p>
    );
  }
  const mbps = result.bytes / (1 << 20) / Math.max(result.seconds, 0.001);
  const { notExportable } = result;
  return (
    <div role="status" data-testid="export-result">
      <p className="ok">
        Wrote {result.rows} rows ({formatBytes(result.bytes)}) to {result.fileName} in{' '}
        {result.seconds.toFixed(1)} s ({mbps.toFixed(0)} MB/s).
      </p>
      {notExportable.count > 0 && (
        <div className="warn">
          {notExportable.count} matching records were left out: the format cannot hold them.
          <ul>
            {notExportable.examples.map((r) => (
              <li key={r.uuid}>
                {r.instruction} <span className="muted">({r.reason})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="row">
        <button type="button" onClick={() => void saveText(result.card, 'README.md')}>
          Save the dataset card (README.md)
        </button>
        <span className="muted">
          Put it next to {result.fileName}: that folder is a Hugging Face dataset repository.
        </span>
      </div>
      <details>
        <summary>Dataset card</summary>
        <pre className="transfer-card">{result.card}</pre>
      </details>
    </div>
  );
}
