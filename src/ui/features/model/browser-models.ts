/**
 * The in-browser models and which of them are downloaded, read on the page: WebLLM's prebuilt
 * list (kept as data beside the engine) and WebLLM's Cache Storage. Showing the model picker
 * therefore starts no worker: the generation worker (the pipeline and its language data)
 * starts when a model is loaded or a run started.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';
import { buildCatalog } from '../../../shared/model-catalog';
import type { BrowserModels } from '../../../shared/worker-api';

// Fetched rather than imported: the list lives with the engine, whose code the page never
// imports (the layering rule); it is data, emitted by the build as a file of its own.
const PREBUILT_LIST = new URL('../../../engine/webllm/prebuilt-models.json', import.meta.url);

/** WebLLM's default cache backend keeps each model's files here. */
const WEBLLM_CACHE = 'webllm/model';

export async function readBrowserModels(): Promise<BrowserModels> {
  const response = await fetch(PREBUILT_LIST);
  if (!response.ok) throw new Error(`The model list could not be read (${response.status}).`);
  const records = (await response.json()) as ModelRecord[];
  const models = buildCatalog(records);
  const offered = new Set(models.map((m) => m.id));
  return { models, cached: await downloaded(records.filter((r) => offered.has(r.model_id))) };
}

/**
 * A model's download is its `tensor-cache.json` manifest plus the shards it lists (with their
 * sizes), keyed under the model's resolve URL: one lookup per model, one per shard of the
 * models that have a manifest.
 */
async function downloaded(records: readonly ModelRecord[]): Promise<BrowserModels['cached']> {
  const found: BrowserModels['cached'] = {};
  if (typeof caches === 'undefined' || !(await caches.has(WEBLLM_CACHE))) return found;
  const cache = await caches.open(WEBLLM_CACHE);
  for (const record of records) {
    const base = resolveUrl(record.model);
    const manifest = await cache.match(new URL('tensor-cache.json', base).href);
    if (!manifest) continue;
    const listed = await manifest.json().catch(() => ({}));
    const shards = (listed as { records?: { dataPath: string; nbytes?: number }[] }).records ?? [];
    let bytes = 0;
    let complete = shards.length > 0;
    for (const shard of shards) {
      if (await cache.match(new URL(shard.dataPath, base).href)) bytes += shard.nbytes ?? 0;
      else complete = false;
    }
    // WebLLM's delete leaves the manifest without its shards: that is not a download.
    if (bytes > 0 || complete) found[record.model_id] = { bytes, complete };
  }
  return found;
}

/** WebLLM's cleanModelUrl: a model's files sit under ".../resolve/main/". */
function resolveUrl(modelUrl: string): string {
  const url = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  return new URL(/.+\/resolve\/.+\//.test(url) ? url : `${url}resolve/main/`).href;
}
