/**
 * Instruction embeddings from a WebLLM embedding model (snowflake-arctic-embed), for the
 * semantic near-duplicate method. The model is downloaded once into the browser's cache
 * (EMBED_MODELS says how much) and runs on WebGPU in the dataset worker. Instructions are
 * embedded as documents (no query prefix): the comparison is symmetric.
 */
import type { MLCEngine } from '@mlc-ai/web-llm';
import { EngineError } from '../../shared/engine';
import { abortedError, toEngineError } from '../../engine/webllm/errors';

/** The model's window is 512 tokens; ~4 characters a token leaves room to spare. */
const MAX_CHARS = 1500;
const BATCH = 32;

export interface Embedder {
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export async function loadEmbedder(
  modelId: string,
  onProgress: (text: string, fraction: number) => void,
  signal?: AbortSignal,
): Promise<Embedder> {
  const { MLCEngine: Engine } = await import('@mlc-ai/web-llm');
  const engine: MLCEngine = new Engine({
    initProgressCallback: (report) => onProgress(report.text, report.progress),
  });
  const cancel = () => void engine.unload().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    await engine.reload(modelId);
  } catch (err) {
    await engine.unload().catch(() => undefined);
    throw signal?.aborted ? abortedError('Loading') : toEngineError(err);
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  if (signal?.aborted) {
    await engine.unload().catch(() => undefined);
    throw abortedError('Loading');
  }
  return {
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        if (signal?.aborted) throw abortedError();
        const input = texts.slice(i, i + BATCH).map((t) => t.slice(0, MAX_CHARS) || ' ');
        let answer;
        try {
          answer = await engine.embeddings.create({ input, model: modelId });
        } catch (err) {
          throw toEngineError(err);
        }
        const rows = [...answer.data].sort((a, b) => a.index - b.index);
        if (rows.length !== input.length) {
          throw new EngineError(
            'bad-response',
            `The embedding model returned ${rows.length} vectors for ${input.length} texts.`,
            'Load the model again; if it persists, pick the other embedding model.',
          );
        }
        for (const row of rows) out.push(Float32Array.from(row.embedding));
      }
      return out;
    },
    dispose: () => engine.unload().catch(() => undefined),
  };
}
