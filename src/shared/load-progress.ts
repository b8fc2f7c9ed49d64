/**
 * How far loading a browser model has got, as the page shows it.
 *
 * WebLLM reports one `progress` number that runs 0..1 three times (download the
 * weights, copy them from the cache onto the GPU, compile the shaders), so a single bar
 * would jump back twice. The WebLLM engine turns its reports into this shape instead:
 * one 0..1 value per phase, each only ever growing. Plain data: it crosses the worker.
 */

export type LoadPhase = 'starting' | 'fetch' | 'cache' | 'shaders' | 'done';

export interface LoadProgress {
  /** The phase the latest report belongs to. */
  phase: LoadPhase;
  /** Downloading weight shards into the browser cache, 0..1 (1 when they were cached already). */
  fetch: number;
  /** Copying the weights from the cache onto the GPU, 0..1. */
  cache: number;
  /** Compiling the GPU shader modules, 0..1. */
  shaders: number;
  /** MB downloaded so far (as WebLLM counts them), when a download is running. */
  fetchedMB?: number;
  /** Size of the weights in MB, estimated from WebLLM's figures once the first shard is in. */
  totalMB?: number;
  /** MB copied from the cache onto the GPU so far. */
  loadedMB?: number;
  /**
   * Whether the weights came from the browser cache (no download was needed).
   * Undefined until the weights phase has shown which way it went.
   */
  fromCache?: boolean;
  /** Seconds since the phase began, as WebLLM reports it. */
  elapsedS: number;
  /** GPU name from WebLLM's final report ("WebGPU - <description or vendor>"). */
  gpu?: string;
  /** WebLLM's own text of the latest report, for a details line. */
  text: string;
}
