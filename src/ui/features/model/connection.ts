import type { EngineConfig, ModelDescription } from '../../../shared/engine';

/** A loaded model and the engine config that reaches it. */
export interface Connection {
  config: EngineConfig;
  model: ModelDescription;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GB`;
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(0)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

/** Where a loaded GGUF model runs, as the picker and the run panel say it. */
export function ggufWhere(m: ModelDescription): string {
  const threads = m.threads ?? 1;
  return `${m.id} on ${m.webgpu ? 'WebGPU and ' : ''}${threads} CPU thread${threads === 1 ? '' : 's'}`;
}
