import type { ImportReport } from '../../../shared/transfer-api';

/** What an import did: counts, and each skipped line with its reason. */
export function ImportReportView({ report, isNew }: { report: ImportReport; isNew: boolean }) {
  if (report.cancelled) {
    return (
      <p role="status" data-testid="import-result">
        Import cancelled; the dataset is as it was before.
      </p>
    );
  }
  const listed = report.skippedLines.length;
  return (
    <div role="status" data-testid="import-result">
      <p className="ok">
        Imported <strong data-testid="import-imported">{report.imported}</strong> rows, skipped{' '}
        <strong data-testid="import-skipped">{report.skipped}</strong> invalid lines and{' '}
        <strong data-testid="import-duplicates">{report.duplicates}</strong> duplicates in{' '}
        {report.seconds.toFixed(1)} s.{isNew && ' Pick the new dataset in the bar above to see it.'}
      </p>
      {listed > 0 && (
        <details open={listed <= 20}>
          <summary>Skipped lines</summary>
          <table className="transfer-table">
            <thead>
              <tr>
                <th>line</th>
                <th>reason</th>
              </tr>
            </thead>
            <tbody>
              {report.skippedLines.map((s) => (
                <tr key={s.line}>
                  <td>{s.line}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.skipped > listed && <p className="muted">and {report.skipped - listed} more.</p>}
        </details>
      )}
    </div>
  );
}
