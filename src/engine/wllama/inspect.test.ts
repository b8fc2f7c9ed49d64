import { describe, expect, it } from 'vitest';
import { CHATML_TEMPLATE, makeTinyGguf } from '../../../scripts/make-tiny-gguf.mjs';
import { EngineError } from '../../shared/engine';
import { ggufFit, ggufModelId, type GgufHost } from '../../shared/gguf';
import { deriveTemplate } from '../../shared/templates/derive';
import { readGgufHeader } from './gguf-header';
import { inspectGguf, orderSplits } from './inspect';

const tiny = (name = 'tiny-chatml.gguf', opts?: Parameters<typeof makeTinyGguf>[0]) =>
  new File([new Uint8Array(makeTinyGguf(opts))], name);

describe('inspectGguf', () => {
  it('reads what the tiny model is from its header', async () => {
    const info = await inspectGguf([tiny()]);
    expect(info).toMatchObject({
      id: 'tiny-chatml.gguf',
      name: 'Tiny ChatML',
      architecture: 'llama',
      quantization: 'Q8_0',
      contextLength: 4096,
      layers: 2,
      splits: 1,
      expectedSplits: 1,
      chatTemplate: CHATML_TEMPLATE,
      bosToken: '<s>',
      eosToken: '</s>',
      addBos: true,
    });
    // Parameter count from the tensor list: embeddings + output (vocab x 64) + 2 blocks + norms.
    const header = await readGgufHeader(tiny());
    const vocab = (header.metadata.get('tokenizer.ggml.tokens') as string[]).length;
    const block = 4 * 64 * 64 + 3 * 64 * 128 + 2 * 64;
    expect(info.parameters).toBe(2 * vocab * 64 + 2 * block + 64);
    expect(info.bytes).toBe(makeTinyGguf().length);
  });

  it('renders the Magpie template from the file’s own chat template', async () => {
    const info = await inspectGguf([tiny()]);
    const t = deriveTemplate(info.chatTemplate!, { bosToken: info.bosToken, writeBos: false });
    expect(t.preQuery).toBe('<|im_start|>user\n');
    expect(t.postQuery).toBe('<|im_end|>\n<|im_start|>assistant\n');
    // The template never prints bos_token: llama.cpp adds BOS itself (add_bos_token).
    expect(t.bos).toBe('');
  });

  it('says when a file has no chat template', async () => {
    const info = await inspectGguf([tiny('plain.gguf', { template: false })]);
    expect(info.chatTemplate).toBeUndefined();
  });

  it('refuses a file that is not a GGUF, or is cut inside its header, in plain words', async () => {
    for (const file of [
      new File(['hello, not a model'], 'notes.gguf'),
      new File([new Uint8Array(makeTinyGguf()).slice(0, 3000)], 'cut.gguf'),
    ]) {
      const err = await inspectGguf([file]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(err).toMatchObject({ code: 'invalid-file' });
      expect((err as Error).message).toContain(`${file.name} is not a GGUF model`);
    }
  });

  it('orders splits by their number and names the model without the split suffix', () => {
    const names = ['m-00002-of-00003.gguf', 'm-00003-of-00003.gguf', 'm-00001-of-00003.gguf'];
    expect(orderSplits(names.map((name) => ({ name }))).map((f) => f.name)).toEqual([
      'm-00001-of-00003.gguf',
      'm-00002-of-00003.gguf',
      'm-00003-of-00003.gguf',
    ]);
    expect(ggufModelId('https://h.co/r/resolve/main/Qwen-Q4_K_M-00001-of-00002.gguf?x=1')).toBe(
      'Qwen-Q4_K_M.gguf',
    );
  });
});

describe('ggufFit', () => {
  const host: GgufHost = { crossOriginIsolated: true, hardwareConcurrency: 8, webgpu: false };
  it('says where the model runs and with how many threads', async () => {
    const info = await inspectGguf([tiny()]);
    expect(ggufFit(info, host, 4, false)).toEqual({ ok: true, summary: 'CPU, 4 threads.' });
    expect(ggufFit(info, { ...host, webgpu: true }, 4, true).summary).toMatch(/^GPU offload/);
    expect(ggufFit(info, { ...host, crossOriginIsolated: false }, 1, false).summary).toContain(
      'more need a cross-origin isolated page',
    );
  });
  it('refuses a model too large for llama.cpp’s memory on the CPU, and a missing split', async () => {
    const info = await inspectGguf([tiny()]);
    expect(ggufFit({ ...info, bytes: 5 * 2 ** 30 }, host, 4, false).ok).toBe(false);
    const split = { ...info, splits: 1, expectedSplits: 3 };
    expect(ggufFit(split, host, 4, false)).toMatchObject({ ok: false });
  });
});
