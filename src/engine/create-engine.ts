import type { Engine, EngineConfig } from '../shared/engine';
import { ServerEngine } from './server/server-engine';

/** The engine for a config. */
export function createEngine(config: EngineConfig): Engine {
  switch (config.kind) {
    case 'server':
      return new ServerEngine(config);
    case 'webllm':
      throw new Error('The in-browser engine is wired in by the WebLLM issue.');
  }
}
