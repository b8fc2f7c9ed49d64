// Writes WebLLM's prebuilt model list (prebuiltAppConfig.model_list) to
// src/engine/webllm/prebuilt-models.json, so the model picker can list models without
// loading WebLLM itself (one 6 MB module) on a first visit. A unit test fails when the
// installed WebLLM's list differs: run this script after upgrading @mlc-ai/web-llm.
import { writeFileSync } from 'node:fs';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';

const out = new URL('../src/engine/webllm/prebuilt-models.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(prebuiltAppConfig.model_list, null, 2)}\n`);
console.log(`${prebuiltAppConfig.model_list.length} models written to ${out.pathname}`);
