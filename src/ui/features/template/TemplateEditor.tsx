import { useState } from 'react';
import type { PromptTemplate } from '../../../shared/template';
import { instructionPrompt } from '../../../shared/template';
import { TEMPLATE_FAMILIES } from '../../../shared/templates/families';
import { fromVisible, toVisible } from '../../../shared/templates/visible';

interface Props {
  modelId: string;
  /** How the template was chosen, shown to the user ("detected from the model id", ...). */
  source: string | undefined;
  template: PromptTemplate | undefined;
  onFamily: (familyId: string) => void;
  onChange: (template: PromptTemplate) => void;
  disabled: boolean;
}

/**
 * The exact strings the run sends. Chosen from the model id; an unknown model gets
 * an explicit family choice, never a silent guess. Every field stays editable.
 */
export function TemplateEditor({ modelId, source, template, onFamily, onChange, disabled }: Props) {
  // Hand-edited strings no longer match the chat template they were cut from: drop it, so a
  // run renders exactly the edited text (and says so if it needs a system prompt or turns).
  const edit = (patch: Partial<PromptTemplate>) =>
    template && onChange({ ...template, ...patch, family: 'custom', chat: undefined });
  return (
    <div className="template-editor">
      <div className="row">
        <label className="grow">
          Template family
          <select
            aria-label="Template family"
            value={template?.family ?? ''}
            onChange={(e) => onFamily(e.target.value)}
            disabled={disabled}
          >
            <option value="" disabled>
              Pick a template family…
            </option>
            {TEMPLATE_FAMILIES.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
            {template?.family === 'custom' && <option value="custom">Custom (edited)</option>}
          </select>
        </label>
        {template && (
          <label className="check">
            <input
              type="checkbox"
              checked={template.writeBos}
              disabled={disabled || !template.bos}
              onChange={(e) => edit({ writeBos: e.target.checked })}
            />
            Write BOS <code>{template.bos ? toVisible(template.bos) : '(none)'}</code>
          </label>
        )}
      </div>
      {!template && (
        <p className="warn" role="alert">
          <code>{modelId}</code> is not a model family the app knows. Pick the template family it
          was trained with; Magpie only works with the model&apos;s own chat template.
        </p>
      )}
      {template && (
        <>
          {source && <p className="muted">{source}</p>}
          <TextField
            label="Pre-query template (instruction step)"
            value={template.preQuery}
            disabled={disabled}
            onChange={(preQuery) => edit({ preQuery })}
          />
          <TextField
            label="Post-query template (before the response)"
            value={template.postQuery}
            disabled={disabled}
            onChange={(postQuery) => edit({ postQuery })}
          />
          <ListField
            label="Instruction stops"
            value={template.instructionStops}
            disabled={disabled}
            onChange={(instructionStops) => edit({ instructionStops })}
          />
          <ListField
            label="Response stops"
            value={template.responseStops}
            disabled={disabled}
            onChange={(responseStops) => edit({ responseStops })}
          />
          <p className="muted">
            Instruction prompt sent:{' '}
            <code data-testid="instruction-prompt">{toVisible(instructionPrompt(template))}</code>
          </p>
        </>
      )}
    </div>
  );
}

/**
 * The text being typed is kept as typed (a lone backslash, a trailing empty line) and
 * parsed on each change; the parent remounts the editor (key) when it replaces the template.
 */
function TextField(props: {
  label: string;
  value: string;
  disabled: boolean;
  onChange: (v: string) => void;
}) {
  const [text, setText] = useState(() => toVisible(props.value));
  return (
    <label className="block">
      {props.label}
      <textarea
        className="mono"
        rows={2}
        spellCheck={false}
        value={text}
        disabled={props.disabled}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(fromVisible(e.target.value));
        }}
      />
    </label>
  );
}

/** One stop string per line, newlines inside a stop written as \n. */
function ListField(props: {
  label: string;
  value: string[];
  disabled: boolean;
  onChange: (v: string[]) => void;
}) {
  const [text, setText] = useState(() => props.value.map(toVisible).join('\n'));
  return (
    <label className="block">
      {props.label} <span className="muted">(one per line)</span>
      <textarea
        className="mono"
        rows={Math.min(6, props.value.length + 1)}
        spellCheck={false}
        value={text}
        disabled={props.disabled}
        onChange={(e) => {
          setText(e.target.value);
          props.onChange(
            e.target.value
              .split('\n')
              .filter((l) => l !== '')
              .map(fromVisible),
          );
        }}
      />
    </label>
  );
}
