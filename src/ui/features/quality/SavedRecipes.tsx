/** Load the built-in Magpie recipe or one of the user's, save the current steps by name. */
import { useState } from 'react';
import { MAGPIE_RECIPE, type RecipeSteps } from '../../../shared/quality';
import { deleteRecipe, saveRecipe, useSavedRecipes } from './saved-recipes';

interface Props {
  steps: RecipeSteps;
  onLoad: (steps: RecipeSteps) => void;
}

const BUILT_IN = 'magpie';

export function SavedRecipes({ steps, onLoad }: Props) {
  const saved = useSavedRecipes();
  const [chosen, setChosen] = useState(BUILT_IN);
  const [name, setName] = useState('');
  const current = saved?.find((r) => r.id === chosen);

  const load = (id: string) => {
    setChosen(id);
    if (id === BUILT_IN) return onLoad(MAGPIE_RECIPE);
    const recipe = saved?.find((r) => r.id === id);
    if (recipe?.steps) onLoad(recipe.steps);
  };

  return (
    <div className="row">
      <label className="grow">
        Recipe
        <select value={chosen} onChange={(e) => load(e.target.value)}>
          <option value={BUILT_IN}>The Magpie recipe (built in)</option>
          {saved?.map((r) => (
            <option key={r.id} value={r.id} disabled={!r.steps}>
              {r.name}
              {r.steps ? '' : ' (unreadable)'}
            </option>
          ))}
        </select>
      </label>
      {current && (
        <button
          type="button"
          onClick={() => void deleteRecipe(current.id).then(() => setChosen(BUILT_IN))}
        >
          Delete
        </button>
      )}
      <label>
        Save these steps as
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="My recipe" />
      </label>
      <button
        type="button"
        disabled={!name.trim()}
        onClick={() =>
          void saveRecipe(name.trim(), steps).then((id) => {
            setChosen(id);
            setName('');
          })
        }
      >
        Save recipe
      </button>
    </div>
  );
}
