/**
 * What to export: which records (the explorer's view, by review status, or everything),
 * the format, and the options. Pure form: the panel owns the state.
 */
import type { ReviewStatus } from '../../../shared/record';
import {
  EXPORT_FORMATS,
  FORMAT_LABELS,
  REVIEW_STATUSES,
  type ExportOptions,
  type ExportSelection,
} from '../../../shared/transfer-api';

export type Scope = ExportSelection['scope'];

interface Props {
  hasView: boolean;
  scope: Scope;
  onScope: (scope: Scope) => void;
  reviews: ReviewStatus[];
  onReviews: (reviews: ReviewStatus[]) => void;
  options: ExportOptions;
  onOptions: (options: ExportOptions) => void;
  disabled: boolean;
}

export function ExportChoices(props: Props) {
  const { hasView, scope, onScope, reviews, onReviews, options, onOptions, disabled } = props;
  const set = (patch: Partial<ExportOptions>) => onOptions({ ...options, ...patch });
  const scopes: [Scope, string][] = [
    ...(hasView ? [['view', 'The current view (explorer’s filter)'] as [Scope, string]] : []),
    ['review', 'By review status'],
    ['all', 'The whole dataset (every status)'],
  ];
  return (
    <fieldset disabled={disabled} className="run-settings">
      <fieldset>
        <legend>Records</legend>
        {scopes.map(([id, label]) => (
          <label key={id} className="check">
            <input
              type="radio"
              name="export-scope"
              checked={scope === id}
              onChange={() => onScope(id)}
            />
            {label}
          </label>
        ))}
        {scope !== 'all' && (
          <div className="row" role="group" aria-label="Review status">
            {REVIEW_STATUSES.map((status) => (
              <label key={status} className="check">
                <input
                  type="checkbox"
                  checked={reviews.includes(status)}
                  onChange={(e) =>
                    onReviews(
                      e.target.checked
                        ? REVIEW_STATUSES.filter((s) => s === status || reviews.includes(s))
                        : reviews.filter((s) => s !== status),
                    )
                  }
                />
                {status}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Format</legend>
        {EXPORT_FORMATS.map((format) => (
          <label key={format} className="check">
            <input
              type="radio"
              name="export-format"
              checked={options.format === format}
              onChange={() => set({ format })}
            />
            {FORMAT_LABELS[format]}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>File</legend>
        {(
          [
            ['jsonl', 'JSON Lines (.jsonl)'],
            ['parquet', 'Parquet (.parquet: what the Hub stores; pandas, DuckDB, datasets)'],
          ] as const
        ).map(([file, label]) => (
          <label key={file} className="check">
            <input
              type="radio"
              name="export-file"
              checked={(options.file ?? 'jsonl') === file}
              onChange={() => set({ file })}
            />
            {label}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Options</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={options.tags}
            onChange={(e) => set({ tags: e.target.checked })}
          />
          Tags as extra fields (uuid, judge tags, review status, scores)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.genConfig}
            onChange={(e) => set({ genConfig: e.target.checked })}
          />
          Model and generation settings as extra fields
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.systemPrompt && options.format !== 'magpie'}
            disabled={options.format === 'magpie'}
            onChange={(e) => set({ systemPrompt: e.target.checked })}
          />
          System prompt the template carried (e.g. Qwen2.5’s default) as a system turn
        </label>
        {options.format === 'magpie' && (
          <p className="muted">
            Magpie keeps the system prompt in gen_input_configs.pre_query_template.
          </p>
        )}
        <div className="row" role="group" aria-label="Text">
          <label className="check">
            <input
              type="radio"
              name="export-text"
              checked={options.text === 'edited'}
              onChange={() => set({ text: 'edited' })}
            />
            Edited text where edited
          </label>
          <label className="check">
            <input
              type="radio"
              name="export-text"
              checked={options.text === 'original'}
              onChange={() => set({ text: 'original' })}
            />
            Original text
          </label>
        </div>
      </fieldset>
    </fieldset>
  );
}
