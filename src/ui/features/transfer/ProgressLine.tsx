/** A progress bar with its figures in words, and the Cancel button beside it. */
export function ProgressLine({
  label,
  value,
  max,
  detail,
  onCancel,
}: {
  label: string;
  value: number;
  max: number;
  detail: string;
  onCancel?: () => void;
}) {
  return (
    <div className="transfer-progress" role="status" aria-label={label}>
      <progress max={Math.max(1, max)} value={value} />
      <div className="row">
        <span className="muted">{detail}</span>
        {onCancel && (
          <button type="button" className="danger" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </div>
  );
}
