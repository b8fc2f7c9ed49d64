import type { RunSettings, StepSampling } from '../../../shared/run';
import { FirstTokenField } from '../method/FirstTokenField';
import { LanguagesField } from '../method/LanguagesField';
import { SystemPromptsField } from '../method/SystemPromptsField';

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
  return (
    <fieldset className="run-settings" disabled={disabled}>
      <div className="row">
        <NumberField
          label="Pairs to make"
          value={settings.target}
          min={1}
          step={1}
          onChange={(target) => set({ target })}
        />
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
