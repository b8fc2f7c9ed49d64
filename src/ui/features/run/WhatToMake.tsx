import { FirstTokenField } from '../method/FirstTokenField';
import { LanguagesField } from '../method/LanguagesField';
import { SystemPromptsField } from '../method/SystemPromptsField';
import { MAX_TURNS, runShape, type RunSettings } from '../../../shared/run';
import { Check, NumberField } from './fields';

interface Props {
  settings: RunSettings;
  onChange: (settings: RunSettings) => void;
  disabled: boolean;
  /** The connected engine's first-token ability; undefined when nothing is connected. */
  firstTokenControl: boolean | undefined;
}

/** The three shapes a run can make; turns and mode are how the settings store them. */
const KINDS = [
  { id: 'single', label: 'Single-turn pairs' },
  { id: 'multi', label: 'Multi-turn conversations' },
  { id: 'preference', label: 'Preference pairs (k answers, judged)' },
] as const;
type Kind = (typeof KINDS)[number]['id'];

/** The authors' multi-turn default (gen_mt.py). */
const DEFAULT_TURNS = 2;

function kindOf(settings: RunSettings): Kind {
  const shape = runShape(settings);
  return shape.mode === 'preference' ? 'preference' : shape.turns > 1 ? 'multi' : 'single';
}

function withKind(settings: RunSettings, kind: Kind): RunSettings {
  if (kind === 'preference') return { ...settings, mode: 'preference' };
  const turns = kind === 'multi' ? Math.max(DEFAULT_TURNS, runShape(settings).turns) : 1;
  return { ...settings, mode: 'pairs', turns };
}

/**
 * Step 2 of the Generate view: what the run makes. The Magpie method's controls live here
 * (shape, count, domain, languages, first token); how each step is sampled waits folded in
 * SamplingForm, since the family's defaults serve most runs.
 */
export function WhatToMake({ settings, onChange, disabled, firstTokenControl }: Props) {
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
  const shape = runShape(settings);
  const kind = kindOf(settings);
  return (
    <fieldset className="what-to-make" disabled={disabled}>
      <fieldset className="kinds">
        <legend>Make</legend>
        {KINDS.map((k) => (
          <label key={k.id} className="check">
            <input
              type="radio"
              name="run-kind"
              value={k.id}
              checked={kind === k.id}
              onChange={() => onChange(withKind(settings, k.id))}
            />
            {k.label}
          </label>
        ))}
      </fieldset>
      <div className="row">
        <NumberField
          label={kind === 'preference' ? 'Preference records to make' : 'Pairs to make'}
          value={settings.target}
          min={1}
          step={1}
          onChange={(target) => set({ target })}
        />
        {kind === 'multi' && (
          <NumberField
            label="Turns per conversation"
            value={shape.turns}
            min={2}
            max={MAX_TURNS}
            step={1}
            onChange={(turns) =>
              set({ turns: Math.min(MAX_TURNS, Math.max(2, Math.round(turns))) })
            }
          />
        )}
        {kind === 'preference' && (
          <NumberField
            label="Responses per instruction"
            value={shape.preference.responses}
            min={2}
            max={16}
            step={1}
            onChange={(responses) =>
              set({
                preference: { ...shape.preference, responses: Math.max(2, Math.round(responses)) },
              })
            }
          />
        )}
      </div>
      {kind === 'preference' && (
        <p className="muted">
          Each response gets its own seed and the connected model scores it as judge (temperature 0,
          0-10 with a reason): the best is chosen, the worst rejected. Ties and instructions with
          fewer than two scored responses are not stored (counted).
        </p>
      )}
      <SystemPromptsField
        prompts={settings.systemPrompts ?? []}
        canAsk={firstTokenControl !== undefined}
        onChange={(systemPrompts) => set({ systemPrompts })}
      />
      {!!settings.systemPrompts?.length && (
        <Check
          label="Answer with the pair’s system prompt too"
          checked={settings.systemPromptInResponse !== false}
          onChange={(systemPromptInResponse) => set({ systemPromptInResponse })}
        />
      )}
      <LanguagesField
        languages={settings.languages ?? []}
        dropMisses={settings.dropLanguageMisses ?? false}
        onChange={(languages, dropLanguageMisses) => set({ languages, dropLanguageMisses })}
      />
      <FirstTokenField settings={settings} engineCan={firstTokenControl} onChange={set} />
    </fieldset>
  );
}
