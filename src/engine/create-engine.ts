import type { Engine, EngineConfig } from '../shared/engine';
import type { LoadProgress } from '../shared/load-progress';
import { ServerEngine } from './server/server-engine';

export interface EngineHooks {
  onLoadProgress?: (progress: LoadProgress) => void;
}

/**
 * The engine for a config. WebLLM (6 MB) and wllama are imported on first use, so a
 * session that only talks to a server never loads them.
 */
export async function createEngine(config: EngineConfig, hooks: EngineHooks = {}): Promise<Engine> {
  switch (config.kind) {
    case 'server':
      return new ServerEngine(config);
    case 'webllm': {
      const { WebLLMEngine } = await import('./webllm/webllm-engine');
      return new WebLLMEngine({ model: config.model, onProgress: hooks.onLoadProgress });
    }
    case 'wllama': {
      const { WllamaEngine } = await import('./wllama/wllama-engine');
      return new WllamaEngine({ config, onProgress: hooks.onLoadProgress });
    }
  }
}
