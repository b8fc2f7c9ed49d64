/** The recipe's steps as a form; every step can be turned off. */
import type { RecipeSteps } from '../../../shared/quality';
import { INPUT_QUALITIES, type InputQuality } from '../../../shared/record';

interface Props {
  steps: RecipeSteps;
  onChange: (steps: RecipeSteps) => void;
}

export function RecipeForm({ steps, onChange }: Props) {
  const set = (over: Partial<RecipeSteps>) => onChange({ ...steps, ...over });
  const qualities = steps.inputQuality;
  const reward = steps.minInstructReward ?? null;
  const toggleQuality = (q: InputQuality, on: boolean) =>
    set({
      inputQuality: INPUT_QUALITIES.filter((x) => (x === q ? on : (qualities ?? []).includes(x))),
    });

  return (
    <fieldset>
      <legend>Steps, in order</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={qualities !== null}
          onChange={(e) => set({ inputQuality: e.target.checked ? ['good', 'excellent'] : null })}
        />
        1. Keep input quality:
      </label>
      {qualities !== null && (
        <div className="row">
          {INPUT_QUALITIES.map((q) => (
            <label key={q} className="check">
              <input
                type="checkbox"
                checked={qualities.includes(q)}
                onChange={(e) => toggleQuality(q, e.target.checked)}
              />
              {q}
            </label>
          ))}
        </div>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={steps.dropEndsWithColon}
          onChange={(e) => set({ dropEndsWithColon: e.target.checked })}
        />
        2. Drop instructions ending with ":" (incomplete)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={steps.firstOfCluster}
          onChange={(e) => set({ firstOfCluster: e.target.checked })}
        />
        3. Keep only the first record of each near-duplicate cluster
      </label>
      <div className="row">
        <label className="check">
          <input
            type="checkbox"
            checked={reward !== null}
            onChange={(e) => set({ minInstructReward: e.target.checked ? -10 : null })}
          />
          4. Instruct reward above (a Magpie file's own reward; the authors used -10)
        </label>
        {reward !== null && (
          <input
            type="number"
            aria-label="Instruct reward above"
            step={0.5}
            value={reward}
            onChange={(e) => set({ minInstructReward: Number(e.target.value) || 0 })}
          />
        )}
      </div>
      <div className="row">
        <label className="check">
          <input
            type="checkbox"
            checked={steps.minResponseScore !== null}
            onChange={(e) => set({ minResponseScore: e.target.checked ? 6 : null })}
          />
          5. Minimum response score (0-10)
        </label>
        {steps.minResponseScore !== null && (
          <input
            type="number"
            aria-label="Minimum response score"
            min={0}
            max={10}
            value={steps.minResponseScore}
            onChange={(e) => set({ minResponseScore: clamp(Number(e.target.value), 0, 10) })}
          />
        )}
      </div>
      <div className="row">
        <label className="check">
          <input
            type="checkbox"
            checked={steps.topN !== null}
            onChange={(e) => set({ topN: e.target.checked ? 300_000 : null })}
          />
          6. Then keep the top N by response length
        </label>
        {steps.topN !== null && (
          <input
            type="number"
            aria-label="Top N"
            min={1}
            value={steps.topN}
            onChange={(e) => set({ topN: Math.max(1, Math.round(Number(e.target.value) || 1)) })}
          />
        )}
      </div>
    </fieldset>
  );
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
}
