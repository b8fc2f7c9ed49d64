import type { EngineErrorInfo } from '../../shared/engine';

/** An error as the user needs it: what happened, then what to do. */
export function ErrorNote({ error }: { error: EngineErrorInfo | undefined }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      <strong>{error.message}</strong>
      {error.hint && <p>{error.hint}</p>}
      {error.details && (
        <details>
          <summary>Details</summary>
          <pre className="error-details">{error.details}</pre>
        </details>
      )}
    </div>
  );
}
