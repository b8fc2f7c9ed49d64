import { FirstTokenField } from '../method/FirstTokenField';
import { LanguagesField } from '../method/LanguagesField';
import { SystemPromptsField } from '../method/SystemPromptsField';
import {
  MAX_TURNS,
  runShape,
  type PreferenceSettings,
  type RunMode,
  type RunSettings,
  type StepSampling,
} from '../../../shared/run';

interface Props {
  settings: RunSettings;
  onChange: (settings: RunSettings) => void;
  disabled: boolean;
  /** The connected engine's first-token ability; undefined when nothing is connected. */
  firstTokenControl: boolean | undefined;
}

/** How many pairs, sampling per step, the cleaning switches and the method's controls. */
export function RunSettingsForm({ settings, onChange, disabled, firstTokenControl }: Props) {
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
  const shape = runShape(settings);
  const preference = shape.mode === 'preference';
  return (
    <fieldset className="run-settings" disabled={disabled}>
      <div className="row">
        <label>
          Make
          <select
            aria-label="What to make"
            value={shape.mode}
            onChange={(e) => set({ mode: e.target.value as RunMode })}
          >
            <option value="pairs">Instruction pairs</option>
            <option value="preference">Preference pairs (k answers, judged)</option>
          </select>
        </label>
        <NumberField
          label={preference ? 'Preference records to make' : 'Pairs to make'}
          value={settings.target}
          min={1}
          step={1}
          onChange={(target) => set({ target })}
        />
        {!preference && (
          <NumberField
            label="Turns per conversation"
            value={shape.turns}
            min={1}
            max={MAX_TURNS}
            step={1}
            onChange={(turns) =>
              set({ turns: Math.min(MAX_TURNS, Math.max(1, Math.round(turns))) })
            }
          />
        )}
        <NumberField
          label="Seed"
          value={settings.seed}
          min={0}
          step={1}
          onChange={(seed) => set({ seed })}
        />
        <NumberField
          label="Min. instruction length (chars)"
          value={settings.minInstructionChars}
          min={0}
          step={1}
          onChange={(minInstructionChars) => set({ minInstructionChars })}
        />
      </div>
      {preference && (
        <PreferenceFields value={shape.preference} onChange={(p) => set({ preference: p })} />
      )}
      <div className="steps">
        <StepFields
          title="Instruction step"
          step={settings.instruction}
          onChange={(instruction) => set({ instruction })}
        />
        <StepFields
          title="Response step"
          step={settings.response}
          onChange={(response) => set({ response })}
        />
      </div>
      <div className="row">
        <Check
          label="Stop instructions at the first newline (early stop)"
          checked={settings.earlyStopNewline}
          onChange={(earlyStopNewline) => set({ earlyStopNewline })}
        />
        <Check
          label="Clean instructions (the authors' sanitiser)"
          checked={settings.sanitize}
          onChange={(sanitize) => set({ sanitize })}
        />
        <Check
          label="Keep responses cut by the token limit"
          checked={settings.keepTruncatedResponses}
          onChange={(keepTruncatedResponses) => set({ keepTruncatedResponses })}
        />
        <Check
          label="Skip near-duplicate instructions before answering them"
          checked={shape.nearDuplicateCheck}
          onChange={(nearDuplicateCheck) => set({ nearDuplicateCheck })}
        />
      </div>
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

/** k responses per instruction and their sampling; the judge scores at temperature 0. */
function PreferenceFields(props: {
  value: PreferenceSettings;
  onChange: (p: PreferenceSettings) => void;
}) {
  const set = (patch: Partial<PreferenceSettings>) => props.onChange({ ...props.value, ...patch });
  return (
    <fieldset className="preference-settings">
      <legend>Preference responses</legend>
      <NumberField
        label="Responses per instruction"
        value={props.value.responses}
        min={2}
        max={16}
        step={1}
        onChange={(responses) => set({ responses: Math.max(2, Math.round(responses)) })}
      />
      <NumberField
        label="Preference responses: temperature"
        short="Temperature"
        value={props.value.temperature}
        min={0}
        max={2}
        step={0.05}
        onChange={(temperature) => set({ temperature })}
      />
      <NumberField
        label="Preference responses: top_p"
        short="top_p"
        value={props.value.topP}
        min={0}
        max={1}
        step={0.05}
        onChange={(topP) => set({ topP })}
      />
      <p className="muted">
        Each response gets its own seed and the connected model scores it as judge (temperature 0,
        0-10 with a reason): the best is chosen, the worst rejected. Ties and instructions with
        fewer than two scored responses are not stored (counted).
      </p>
    </fieldset>
  );
}

function StepFields({
  title,
  step,
  onChange,
}: {
  title: string;
  step: StepSampling;
  onChange: (s: StepSampling) => void;
}) {
  const set = (patch: Partial<StepSampling>) => onChange({ ...step, ...patch });
  return (
    <fieldset>
      <legend>{title}</legend>
      <NumberField
        label={`${title}: temperature`}
        short="Temperature"
        value={step.temperature}
        min={0}
        max={2}
        step={0.05}
        onChange={(temperature) => set({ temperature })}
      />
      <NumberField
        label={`${title}: top_p`}
        short="top_p"
        value={step.topP}
        min={0}
        max={1}
        step={0.05}
        onChange={(topP) => set({ topP })}
      />
      <NumberField
        label={`${title}: max tokens`}
        short="Max tokens"
        value={step.maxTokens}
        min={1}
        step={1}
        onChange={(maxTokens) => set({ maxTokens })}
      />
      <NumberField
        label={`${title}: repetition penalty`}
        short="Repetition penalty"
        value={step.repetitionPenalty}
        min={0.5}
        max={2}
        step={0.05}
        onChange={(repetitionPenalty) => set({ repetitionPenalty })}
      />
    </fieldset>
  );
}

function NumberField(props: {
  label: string;
  short?: string;
  value: number;
  min?: number;
  max?: number;
  step: number;
  onChange: (v: number) => void;
}) {
  return (
    <label>
      {props.short ?? props.label}
      <input
        type="number"
        aria-label={props.label}
        value={props.value}
        min={props.min}
        max={props.max}
        step={props.step}
        onChange={(e) => {
          const v = e.target.valueAsNumber;
          if (Number.isFinite(v)) props.onChange(v);
        }}
      />
    </label>
  );
}

function Check(props: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
      {props.label}
    </label>
  );
}
