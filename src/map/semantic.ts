/**
 * The semantic method's embeddings: the WebLLM embedding model near-duplicate detection
 * offers (downloaded once into the browser's cache, EMBED_MODELS says how much), run in the
 * map worker on WebGPU; vectors normalised so the projection compares them by cosine.
 */
import { loadEmbedder } from '../quality/dedup/embedder';
import type { Checkpoint } from './project';

const BATCH = 256;

export async function embedSemantic(
  modelId: string,
  texts: readonly string[],
  checkpoint: Checkpoint,
): Promise<{ vectors: Float32Array; dims: number }> {
  let loading = Promise.resolve();
  const embedder = await loadEmbedder(modelId, (text, fraction) => {
    // The model's progress arrives in callbacks; the checkpoint reports it and hears a stop.
    loading = loading.then(() =>
      checkpoint({ phase: 'model', done: fraction, total: 1, text }).catch(() => undefined),
    );
  });
  try {
    let vectors = new Float32Array(0);
    let dims = 0;
    for (let start = 0; start < texts.length; start += BATCH) {
      await checkpoint({ phase: 'embed', done: start, total: texts.length });
      const rows = await embedder.embed(texts.slice(start, start + BATCH) as string[]);
      if (!dims) {
        dims = rows[0]?.length ?? 0;
        vectors = new Float32Array(texts.length * dims);
      }
      rows.forEach((row, k) => {
        let norm = 0;
        for (let d = 0; d < dims; d++) norm += row[d]! ** 2;
        const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        for (let d = 0; d < dims; d++) vectors[(start + k) * dims + d] = row[d]! * inv;
      });
    }
    return { vectors, dims };
  } finally {
    await embedder.dispose();
  }
}
