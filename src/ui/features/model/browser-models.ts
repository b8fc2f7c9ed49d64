/**
 * The in-browser models and which of them are downloaded, read on the page: WebLLM's prebuilt
 * list (kept as data beside the engine) and WebLLM's Cache Storage. Showing the model picker
 * therefore starts no worker: the generation worker starts when a model is loaded or a run
 * started.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';
import { buildCatalog, type CatalogModel } from '../../../shared/model-catalog';
import { cachedModels, type CachedModel } from '../../../shared/webllm-cache';

// Fetched rather than imported: the list lives with the engine, whose code the page never
// imports (the layering rule); it is data, emitted by the build as a file of its own.
const PREBUILT_LIST = new URL('../../../engine/webllm/prebuilt-models.json', import.meta.url);

export interface BrowserModels {
  /** WebLLM's built-in list, narrowed to models Magpie can use. */
  models: CatalogModel[];
  /** Downloaded models by id: bytes on disk, and whether every shard is there. */
  cached: Record<string, CachedModel>;
}

export async function readBrowserModels(): Promise<BrowserModels> {
  const response = await fetch(PREBUILT_LIST);
  if (!response.ok) throw new Error(`The model list could not be read (${response.status}).`);
  const records = (await response.json()) as ModelRecord[];
  const models = buildCatalog(records);
  const offered = new Set(models.map((m) => m.id));
  return { models, cached: await cachedModels(records.filter((r) => offered.has(r.model_id))) };
}
