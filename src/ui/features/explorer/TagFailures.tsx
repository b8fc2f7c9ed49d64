/**
 * The judge's answers that could not be used, one per failed task, with the reason and the
 * raw text exactly as the model wrote it (as text: it is model output). A curator reads
 * why the judge failed and decides whether to fix the record, ask again or drop it.
 */
import { JUDGE_TASK_LABELS } from '../../../shared/quality';
import type { PairRecord } from '../../../shared/record';
import { decodeFailure } from '../../../shared/tag-failure';

export function TagFailures({ record }: { record: PairRecord }) {
  const items = decodeFailure(record.tag_failure);
  if (!items.length) return null;
  return (
    <section className="xp-tag-failures" aria-label="Tag failures">
      <h3>Tag failure</h3>
      <p className="muted">
        The judge ({record.tag_failure?.generator}) gave an answer that could not be used. The
        Quality view’s “ask again” option retries it.
      </p>
      {items.map((item) => (
        <div key={item.task} className="xp-tag-failure" data-testid={`tag-failure-${item.task}`}>
          <h4>{JUDGE_TASK_LABELS[item.task]}</h4>
          <p className="error">{item.error}</p>
          {item.raw ? (
            <pre className="mono" aria-label={`Raw answer (${JUDGE_TASK_LABELS[item.task]})`}>
              {item.raw}
            </pre>
          ) : (
            <p className="muted">No answer came back.</p>
          )}
        </div>
      ))}
    </section>
  );
}
