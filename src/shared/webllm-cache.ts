/**
 * What WebLLM has downloaded, and how big it is on disk. WebLLM's default backend keeps
 * each model's weights in Cache Storage ("webllm/model"): a `tensor-cache.json` manifest
 * under the model's resolve URL plus the shards it lists (with their byte sizes).
 * Reading the manifests costs one cache lookup per model instead of opening every shard.
 * Plain Cache Storage, no WebLLM code: the page reads it without starting the generation
 * worker, and the worker cleans up after WebLLM's delete with it.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';

const MODEL_CACHE = 'webllm/model';

/** The URL WebLLM keys a model's files under (its cleanModelUrl: ".../resolve/main/"). */
function modelResolveUrl(modelUrl: string): string {
  let url = modelUrl.endsWith('/') ? modelUrl : `${modelUrl}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

interface Manifest {
  records?: { dataPath: string; nbytes?: number }[];
}

export interface CachedModel {
  /** Bytes of the shards present. */
  bytes: number;
  /** All shards present: loads without a download. False: a download stopped part-way (it resumes). */
  complete: boolean;
}

/** Downloaded models by id; models with no manifest cached are left out. */
export async function cachedModels(
  records: readonly ModelRecord[],
): Promise<Record<string, CachedModel>> {
  const found: Record<string, CachedModel> = {};
  if (typeof caches === 'undefined' || !(await caches.has(MODEL_CACHE))) return found;
  const cache = await caches.open(MODEL_CACHE);
  for (const record of records) {
    const base = modelResolveUrl(record.model);
    const manifest = await cache.match(new URL('tensor-cache.json', base).href);
    if (!manifest) continue;
    const shards = ((await manifest.json().catch(() => ({}))) as Manifest).records ?? [];
    let bytes = 0;
    let complete = true;
    for (const shard of shards) {
      if (await cache.match(new URL(shard.dataPath, base).href)) bytes += shard.nbytes ?? 0;
      else complete = false;
    }
    // A manifest without shards is what WebLLM's delete leaves behind: not downloaded.
    if (bytes > 0 || (complete && shards.length > 0)) found[record.model_id] = { bytes, complete };
  }
  return found;
}

/**
 * WebLLM's deleteModelAllInfoInCache removes the shards, tokenizer, config and library
 * but leaves the tensor-cache.json manifest; remove it too so no trace is left.
 */
export async function deleteManifest(record: ModelRecord): Promise<void> {
  if (typeof caches === 'undefined' || !(await caches.has(MODEL_CACHE))) return;
  const cache = await caches.open(MODEL_CACHE);
  await cache.delete(new URL('tensor-cache.json', modelResolveUrl(record.model)).href);
}
