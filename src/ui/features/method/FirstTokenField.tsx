import type { RunSettings } from '../../../shared/run';

interface Props {
  settings: Pick<RunSettings, 'firstToken' | 'dropHeadingFirst'>;
  /** Whether the connected engine can apply a rule to the first token only; undefined: none connected. */
  engineCan: boolean | undefined;
  onChange: (patch: Pick<RunSettings, 'firstToken' | 'dropHeadingFirst'>) => void;
}

/**
 * First-token control. WebLLM applies it with a logit processor on the first sampled token; an
 * OpenAI-compatible server has no such field, so there the option says so and the heading drop
 * rule does the job after the fact.
 */
export function FirstTokenField({ settings, engineCan, onChange }: Props) {
  const rule = settings.firstToken ?? 'none';
  return (
    <fieldset className="method-field" aria-label="First token">
      <legend>First token of an instruction</legend>
      <label>
        Rule
        <select
          aria-label="First-token rule"
          value={rule}
          onChange={(e) =>
            onChange({
              firstToken: e.target.value as NonNullable<RunSettings['firstToken']>,
              dropHeadingFirst: settings.dropHeadingFirst,
            })
          }
        >
          <option value="none">None</option>
          <option value="ban-headings">Ban markdown headings (#, ##, ###, ####)</option>
          <option value="flaming">Hotter first token (“flaming tokens”, logits ÷ 1.2)</option>
        </select>
      </label>
      {engineCan === false && rule !== 'none' && (
        <p className="warn" role="note" data-testid="first-token-unsupported">
          This engine cannot apply a rule to the first token only (an OpenAI-compatible server has
          no such field), so the rule is not sent. Dropping heading-first instructions below has a
          similar effect after the fact.
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={settings.dropHeadingFirst ?? false}
          onChange={(e) => onChange({ firstToken: rule, dropHeadingFirst: e.target.checked })}
        />
        Drop instructions that open with a markdown heading (counted with the drops)
      </label>
    </fieldset>
  );
}
