/**
 * What the first rows of a file look like, and the user's say before anything is stored:
 * the format (detected, or picked) and where the rows go.
 */
import {
  IMPORT_FORMATS,
  FORMAT_LABELS,
  FORMAT_NAMES,
  type ImportFormat,
  type SniffResult,
} from '../../../shared/transfer-api';
import { formatBytes } from '../model/connection';

export interface ImportChoice {
  format: ImportFormat | undefined;
  into: 'new' | 'existing';
  name: string;
}

interface Props {
  sniff: SniffResult;
  choice: ImportChoice;
  onChoice: (choice: ImportChoice) => void;
  /** The current dataset's name, when there is one to import into. */
  current: string | undefined;
  busy: boolean;
  onImport: () => void;
}

export function ImportConfirm({ sniff, choice, onChoice, current, busy, onImport }: Props) {
  const set = (patch: Partial<ImportChoice>) => onChoice({ ...choice, ...patch });
  const { format, into, name } = choice;
  return (
    <fieldset disabled={busy} className="run-settings">
      <p data-testid="import-detected">
        {sniff.fileName} ({formatBytes(sniff.size)}):{' '}
        {sniff.detected
          ? `looks like ${FORMAT_LABELS[sniff.detected]} (${sniff.matches[sniff.detected]} of ${sniff.sampled} sample rows).`
          : `no format reads its first ${sniff.sampled} rows. Pick one to see every line's reason.`}
      </p>
      {sniff.preview && (
        <div className="transfer-preview">
          <strong>{sniff.preview.instruction}</strong>
          {'\n'}
          {sniff.preview.response}
        </div>
      )}
      <label>
        Format
        <select
          value={format ?? ''}
          onChange={(e) => set({ format: e.target.value as ImportFormat })}
        >
          {!format && <option value="">Pick a format</option>}
          {IMPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]} — {sniff.matches[f]} of {sniff.sampled} rows
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input
          type="radio"
          name="import-into"
          checked={into === 'new'}
          onChange={() => set({ into: 'new' })}
        />
        Into a new dataset
      </label>
      {into === 'new' && (
        <label>
          New dataset name
          <input value={name} onChange={(e) => set({ name: e.target.value })} />
        </label>
      )}
      <label className="check">
        <input
          type="radio"
          name="import-into"
          checked={into === 'existing'}
          disabled={current === undefined}
          onChange={() => set({ into: 'existing' })}
        />
        Into the current dataset{current ? ` (${current})` : ''}
      </label>
      {!busy && (
        <button type="button" className="primary" disabled={!format} onClick={onImport}>
          {format ? `Import as ${FORMAT_NAMES[format]}` : 'Import'}
        </button>
      )}
    </fieldset>
  );
}
