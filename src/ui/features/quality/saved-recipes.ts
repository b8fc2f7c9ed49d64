/**
 * The user's own recipes in db.recipes. What is read back is validated: a recipe saved by
 * another version of the app, or edited by hand, is listed as unreadable, never applied.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { z } from 'zod';
import { INPUT_QUALITIES } from '../../../shared/record';
import type { RecipeSteps } from '../../../shared/quality';
import { getDb } from '../../../store/db';

const Steps = z.object({
  inputQuality: z.array(z.enum(INPUT_QUALITIES)).nullable(),
  dropEndsWithColon: z.boolean(),
  firstOfCluster: z.boolean(),
  minInstructReward: z.number().nullable().optional(),
  minResponseScore: z.number().min(0).max(10).nullable(),
  topN: z.number().int().min(1).nullable(),
});

export interface SavedRecipe {
  id: string;
  name: string;
  steps: RecipeSteps | undefined;
}

export function useSavedRecipes(): SavedRecipe[] | undefined {
  return useLiveQuery(async () => {
    const rows = await getDb().recipes.orderBy('name').toArray();
    return rows.map((r) => {
      const steps = Steps.safeParse(r.steps);
      return { id: r.id, name: r.name, steps: steps.success ? steps.data : undefined };
    });
  }, []);
}

/** Saves under `name`, replacing a recipe of the same name. */
export async function saveRecipe(name: string, steps: RecipeSteps): Promise<string> {
  const db = getDb();
  const same = await db.recipes.where('name').equals(name).first();
  const id = same?.id ?? crypto.randomUUID();
  await db.recipes.put({ id, name, createdAt: Date.now(), steps: Steps.parse(steps) });
  return id;
}

export function deleteRecipe(id: string): Promise<void> {
  return getDb().recipes.delete(id);
}
