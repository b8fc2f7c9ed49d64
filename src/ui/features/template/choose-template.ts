import type { EngineConfig, ModelDescription } from '../../../shared/engine';
import type { RunSettings } from '../../../shared/run';
import type { PromptTemplate } from '../../../shared/template';
import {
  defaultSettingsFor,
  detectFamily,
  TEMPLATE_FAMILIES,
  templateFor,
} from '../../../shared/templates/families';

export interface ChosenTemplate {
  template: PromptTemplate;
  /** Said to the user: where the strings came from. */
  source: string;
}

/**
 * The template for a connected model, most trustworthy source first: the model's
 * own chat template when the engine can read it, else the family table by model id.
 * Unknown models get nothing: the user must pick a family.
 */
export function chooseTemplate(
  model: ModelDescription,
  engine: EngineConfig['kind'],
  familyId?: string,
): ChosenTemplate | undefined {
  // A server and llama.cpp tokenize with their own BOS; WebLLM's raw completion adds none.
  const writeBos = engine === 'webllm';
  if (familyId) {
    const family = TEMPLATE_FAMILIES.find((f) => f.id === familyId);
    return (
      family && {
        template: templateFor(family.id, { writeBos }),
        source: `Chosen by you: ${family.label}.`,
      }
    );
  }
  // Derived in the worker; an unreadable template falls back to the table below.
  if (model.derivedTemplate) {
    return {
      template: model.derivedTemplate,
      source:
        engine === 'wllama'
          ? "Rendered from the GGUF file's own chat template (tokenizer.chat_template); llama.cpp adds BOS as the file's tokenizer says."
          : "Rendered from the model's own chat template, as the server reported it.",
    };
  }
  // A GGUF file name says nothing reliable about its template: the user picks a family.
  if (engine === 'wllama') return undefined;
  const family = detectFamily(model.id);
  return (
    family && {
      template: templateFor(family.id, { writeBos }),
      source: `Detected from the model id: ${family.label}.`,
    }
  );
}

export function settingsForFamily(familyId: string | undefined): RunSettings {
  const known = familyId && TEMPLATE_FAMILIES.some((f) => f.id === familyId);
  return defaultSettingsFor(known ? familyId : 'chatml');
}
