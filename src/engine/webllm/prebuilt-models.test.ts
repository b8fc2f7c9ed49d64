import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { PREBUILT_MODELS } from './prebuilt-models';

describe('the model list the picker shows without loading WebLLM', () => {
  it("is the installed WebLLM's own prebuilt list (run scripts/webllm-model-list.mjs after an upgrade)", () => {
    expect(PREBUILT_MODELS).toEqual(prebuiltAppConfig.model_list);
  });
});
