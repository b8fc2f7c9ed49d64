import type { Funnel } from '../../../shared/quality';
import { n } from './format';

/** The recipe's funnel: records in, what each step removes, records kept. */
export function FunnelTable({ funnel }: { funnel: Funnel }) {
  return (
    <table className="runs" aria-label="Recipe funnel">
      <thead>
        <tr>
          <th>Step</th>
          <th>Removes</th>
          <th>Remaining</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>All records</td>
          <td />
          <td>{n(funnel.total)}</td>
        </tr>
        {funnel.steps.map((s) => (
          <tr key={s.id} data-step={s.id}>
            <td>{s.label}</td>
            <td data-testid={`removed-${s.id}`}>
              {n(s.removed)}
              {s.untagged > 0 && <span className="muted"> ({n(s.untagged)} not tagged yet)</span>}
            </td>
            <td>{n(s.remaining)}</td>
          </tr>
        ))}
        <tr>
          <th>Kept</th>
          <td />
          <th data-testid="funnel-kept">{n(funnel.kept)}</th>
        </tr>
      </tbody>
    </table>
  );
}
