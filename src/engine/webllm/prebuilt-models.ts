/**
 * WebLLM's prebuilt model list as data (written by scripts/webllm-model-list.mjs and checked
 * against the installed WebLLM by a unit test), so listing models on a first visit does not
 * load WebLLM's 6 MB module; loading a model does.
 */
import type { ModelRecord } from '@mlc-ai/web-llm';
import list from './prebuilt-models.json';

export const PREBUILT_MODELS = list as ModelRecord[];
