/**
 * A connected model's own chat template, cut into its Magpie template here in the worker: the
 * Jinja library that renders it stays out of the page's first load.
 */
import type { ModelDescription } from '../shared/engine';
import { deriveTemplate } from '../shared/templates/derive';

export function withDerivedTemplate(model: ModelDescription): ModelDescription {
  if (!model.chatTemplate) return model;
  try {
    // A server tokenizes with its own BOS; WebLLM's raw completion adds none.
    const derivedTemplate = deriveTemplate(model.chatTemplate, {
      bosToken: model.bosToken,
      writeBos: model.engine === 'webllm',
    });
    return { ...model, derivedTemplate };
  } catch (err) {
    return { ...model, chatTemplateError: (err as Error).message };
  }
}
