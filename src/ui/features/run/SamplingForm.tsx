import {
  runShape,
  type PreferenceSettings,
  type RunSettings,
  type StepSampling,
} from '../../../shared/run';
import { Check, NumberField } from './fields';

interface Props {
  settings: RunSettings;
  onChange: (settings: RunSettings) => void;
  disabled: boolean;
}

/**
 * How each step is sampled and how instructions are cleaned: the family's defaults (the Magpie
 * authors') serve most runs, so this waits folded; what the run makes is WhatToMake.
 */
export function SamplingForm({ settings, onChange, disabled }: Props) {
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
  const shape = runShape(settings);
  return (
    <fieldset className="run-settings" disabled={disabled}>
      <div className="row">
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
      {shape.mode === 'preference' && (
        <PreferenceSampling value={shape.preference} onChange={(p) => set({ preference: p })} />
      )}
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
    </fieldset>
  );
}

/** The sampling of a preference run's k responses; the judge scores at temperature 0. */
function PreferenceSampling(props: {
  value: PreferenceSettings;
  onChange: (p: PreferenceSettings) => void;
}) {
  const set = (patch: Partial<PreferenceSettings>) => props.onChange({ ...props.value, ...patch });
  return (
    <fieldset className="preference-settings">
      <legend>Preference responses</legend>
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
