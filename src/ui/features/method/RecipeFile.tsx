import { useState } from 'react';
import type { EngineConfig } from '../../../shared/engine';
import type { RunSettings } from '../../../shared/run';
import type { RunRecipe } from '../../../shared/run-recipe';
import type { PromptTemplate } from '../../../shared/template';

interface Props {
  connected: { kind: EngineConfig['kind']; model: string } | undefined;
  template: PromptTemplate | undefined;
  settings: RunSettings;
  disabled: boolean;
  onApply: (recipe: RunRecipe) => void;
}

type Pending = { recipe: RunRecipe; warnings: string[]; file: string };

/**
 * Save the run's whole configuration as a JSON file, or load one to set up a run. A recipe that
 * names another model or holds fields the app does not know changes nothing until confirmed.
 */
export function RecipeFile({ connected, template, settings, disabled, onApply }: Props) {
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, setPending] = useState<Pending>();
  const [applied, setApplied] = useState<string>();

  // The recipe code (and zod, which reads a recipe) loads when a recipe is saved or loaded,
  // not with the first page.
  const save = async () => {
    if (!connected || !template) return;
    const { makeRecipe, recipeText } = await import('../../../shared/run-recipe');
    const recipe = makeRecipe({ engine: connected, model: connected.model, template, settings });
    const url = URL.createObjectURL(new Blob([recipeText(recipe)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `magpie-recipe-${connected.model.replace(/[^\w.-]+/g, '_')}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };

  const load = async (file: File) => {
    setErrors([]);
    setPending(undefined);
    setApplied(undefined);
    const { readRecipe } = await import('../../../shared/run-recipe');
    const read = readRecipe(await file.text(), connected);
    if (!read.ok) return setErrors(read.errors);
    if (read.warnings.length) return setPending({ ...read, file: file.name });
    apply(read.recipe, file.name);
  };

  const apply = (recipe: RunRecipe, file: string) => {
    onApply(recipe);
    setPending(undefined);
    setApplied(file);
  };

  return (
    <div className="recipe-file">
      <div className="row">
        <button
          type="button"
          disabled={disabled || !connected || !template}
          onClick={() => void save()}
        >
          Save recipe
        </button>
        <label className="file-button">
          Load recipe
          <input
            type="file"
            accept=".json,application/json"
            aria-label="Load recipe"
            disabled={disabled || !connected}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void load(file);
            }}
          />
        </label>
      </div>
      {!connected && <p className="muted">Connect a model to save or load a recipe.</p>}
      {errors.length > 0 && (
        <div className="error" role="alert">
          <p>The recipe was not loaded; nothing changed:</p>
          <ul>
            {errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      )}
      {pending && (
        <div className="warn" role="alert" aria-label="Recipe needs confirming">
          <p>
            <code>{pending.file}</code>: nothing has changed yet.
          </p>
          <ul>
            {pending.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          <div className="row">
            <button type="button" onClick={() => apply(pending.recipe, pending.file)}>
              Use it anyway
            </button>
            <button type="button" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {applied && (
        <p className="ok" role="status">
          Run set up from <code>{applied}</code>.
        </p>
      )}
    </div>
  );
}
