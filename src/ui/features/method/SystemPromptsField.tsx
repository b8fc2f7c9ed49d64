import { useState } from 'react';
import {
  SYSTEM_PROMPT_PRESETS,
  systemPromptProblems,
  type WeightedSystemPrompt,
} from '../../../shared/system-prompts';
import { callForOutcome } from '../../lib/generation-worker';

interface Props {
  prompts: WeightedSystemPrompt[];
  onChange: (prompts: WeightedSystemPrompt[]) => void;
  /** Whether a model is connected to write prompts from a description. */
  canAsk: boolean;
}

/** An id not yet in the list, from a wished one ('math', 'math-2', ...). */
function freeId(prompts: WeightedSystemPrompt[], wish: string): string {
  const taken = new Set(prompts.map((p) => p.id));
  if (!taken.has(wish)) return wish;
  for (let i = 2; ; i++) if (!taken.has(`${wish}-${i}`)) return `${wish}-${i}`;
}

/**
 * Domain control: the system prompts a run draws from, one per pair by weight. Presets are the
 * Magpie authors' prompts, verbatim; "Describe your data" has the connected model write some.
 */
export function SystemPromptsField({ prompts, onChange, canAsk }: Props) {
  const [description, setDescription] = useState('');
  const [count, setCount] = useState(5);
  const [asking, setAsking] = useState(false);
  const [askError, setAskError] = useState<string>();

  const add = (items: Omit<WeightedSystemPrompt, 'id'>[], idWish: (i: number) => string) => {
    const next = [...prompts];
    items.forEach((item, i) => next.push({ ...item, id: freeId(next, idWish(i)) }));
    onChange(next);
  };
  const update = (i: number, patch: Partial<WeightedSystemPrompt>) =>
    onChange(prompts.map((p, j) => (j === i ? { ...p, ...patch } : p)));

  const ask = async () => {
    setAsking(true);
    setAskError(undefined);
    try {
      const answer = await callForOutcome((api) => api.writeSystemPrompts(description, count));
      if (!answer.ok) setAskError(`${answer.error.message} ${answer.error.hint}`.trim());
      else
        add(
          answer.value.map((text, i) => ({ label: `Described ${i + 1}`, text, weight: 1 })),
          () => 'described',
        );
    } finally {
      setAsking(false);
    }
  };

  const problems = systemPromptProblems(prompts);
  return (
    <fieldset className="method-field" aria-label="System prompts">
      <legend>System prompts (domain control)</legend>
      <p className="muted">
        One is drawn per pair by weight, from the run’s seed. None: the template’s own default.
      </p>
      <ol className="weighted-list">
        {prompts.map((p, i) => (
          <li key={p.id}>
            <div className="row">
              <label className="grow">
                Name
                <input
                  aria-label={`System prompt ${i + 1} name`}
                  value={p.label}
                  onChange={(e) => update(i, { label: e.target.value })}
                />
              </label>
              <label>
                Weight
                <input
                  type="number"
                  aria-label={`System prompt ${i + 1} weight`}
                  min={0}
                  step={0.1}
                  value={p.weight}
                  onChange={(e) => update(i, { weight: e.target.valueAsNumber })}
                />
              </label>
              <button type="button" onClick={() => onChange(prompts.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
            <textarea
              aria-label={`System prompt ${i + 1} text`}
              rows={3}
              value={p.text}
              onChange={(e) => update(i, { text: e.target.value })}
            />
          </li>
        ))}
      </ol>
      <div className="row">
        {SYSTEM_PROMPT_PRESETS.map((preset) => (
          <button
            key={preset.id}
            type="button"
            onClick={() => add([{ ...preset, weight: 1 }], () => preset.id)}
          >
            Add {preset.label.toLowerCase()}
          </button>
        ))}
        <button
          type="button"
          onClick={() => add([{ label: 'Custom', text: '', weight: 1 }], () => 'custom')}
        >
          Add your own
        </button>
      </div>
      <div className="row describe">
        <label className="grow">
          Describe your data
          <input
            aria-label="Describe your data"
            placeholder="e.g. questions a hospital nurse asks about drug dosages"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <label>
          How many
          <input
            type="number"
            aria-label="How many system prompts to write"
            min={1}
            max={12}
            value={count}
            onChange={(e) => setCount(e.target.valueAsNumber || 1)}
          />
        </label>
        <button
          type="button"
          disabled={!canAsk || asking || !description.trim()}
          onClick={() => void ask()}
        >
          {asking ? 'Writing…' : 'Write system prompts'}
        </button>
      </div>
      {!canAsk && <p className="muted">Connect a model to have it write system prompts.</p>}
      {askError && (
        <p className="error" role="alert">
          {askError}
        </p>
      )}
      {problems.map((p) => (
        <p key={p} className="warn" role="alert">
          {p}
        </p>
      ))}
    </fieldset>
  );
}
