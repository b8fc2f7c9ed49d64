/**
 * GGUF models downloaded from a URL: wllama keeps them in the origin's private file system
 * (OPFS, folder "cache"). Listed and deleted through wllama's own ModelManager so the
 * layout stays wllama's.
 */
import type { GgufCachedModel } from '../../shared/gguf';

async function manager() {
  const { ModelManager } = await import('@wllama/wllama');
  return new ModelManager({ allowOffline: true });
}

export async function cachedGgufModels(): Promise<GgufCachedModel[]> {
  const models = await (await manager()).getModels({ includeInvalid: true });
  return models.map((m) => ({ url: m.url, bytes: m.size, complete: m.validate() === 'valid' }));
}

export async function deleteGgufModel(url: string): Promise<void> {
  const models = await (await manager()).getModels({ includeInvalid: true });
  await Promise.all(models.filter((m) => m.url === url).map((m) => m.remove()));
}
