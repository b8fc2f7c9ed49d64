/**
 * What a GGUF file is, read from its header before loading (the worker reads it; the page
 * shows it), and what this browser can do with it. Plain data: it crosses the worker.
 */

export interface GgufInfo {
  /** The model id runs are made with: the file name, split suffix removed. */
  id: string;
  /** general.name when the file has one. */
  name?: string;
  architecture: string;
  /** Sum of the tensors' element counts over every split. */
  parameters: number;
  /** The file type (Q4_K_M, Q8_0, F16...), from general.file_type or the tensors. */
  quantization: string;
  /** The context length the model was trained with. */
  contextLength?: number;
  layers?: number;
  /** Bytes of every split together. */
  bytes: number;
  /** Files given, and how many the first says there are (split.count). */
  splits: number;
  expectedSplits: number;
  /** tokenizer.chat_template, when the file has one. */
  chatTemplate?: string;
  bosToken?: string;
  eosToken?: string;
  /** Whether llama.cpp's tokenizer writes BOS itself (tokenizer.ggml.add_bos_token). */
  addBos: boolean;
}

/** What this page offers llama.cpp: threads, WebGPU. Read on the page, passed in. */
export interface GgufHost {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  webgpu: boolean;
}

/**
 * llama.cpp in WebAssembly has a 64-bit memory capped at 4 GiB (wllama's build), which holds
 * the weights on the CPU plus the KV cache and buffers; past this a load fails halfway.
 */
export const CPU_MODEL_LIMIT_BYTES = 3.5 * 2 ** 30;

export function defaultThreads(host: GgufHost): number {
  if (!host.crossOriginIsolated) return 1;
  // Half the logical cores, as wllama does: the other half keeps the page and the GPU fed.
  return Math.max(1, Math.floor(host.hardwareConcurrency / 2));
}

export interface GgufFit {
  ok: boolean;
  /** One line for the metadata card: where it will run and why. */
  summary: string;
}

export function ggufFit(info: GgufInfo, host: GgufHost, threads: number, gpu: boolean): GgufFit {
  if (info.splits < info.expectedSplits) {
    return {
      ok: false,
      summary: `This is split ${info.splits} of ${info.expectedSplits} files: choose all ${info.expectedSplits} together.`,
    };
  }
  const cpu = `CPU, ${threads} thread${threads === 1 ? '' : 's'}${
    host.crossOriginIsolated ? '' : ' (more need a cross-origin isolated page)'
  }`;
  if (gpu && host.webgpu) {
    return { ok: true, summary: `GPU offload on WebGPU (all layers); ${cpu} for the rest.` };
  }
  if (info.bytes > CPU_MODEL_LIMIT_BYTES) {
    return {
      ok: false,
      summary: `Too large for the browser on the CPU: llama.cpp here has 4 GB of memory in all. Use WebGPU or a smaller quantization.`,
    };
  }
  return { ok: true, summary: `${cpu}.` };
}

/** Model id from a file name or URL: "Qwen2.5-0.5B-Q4_K_M-00001-of-00002.gguf" -> "Qwen2.5-0.5B-Q4_K_M.gguf". */
export function ggufModelId(nameOrUrl: string): string {
  const last = nameOrUrl.split(/[?#]/)[0]?.split('/').pop() ?? nameOrUrl;
  return last.replace(/-\d{5}-of-\d{5}(\.gguf)$/i, '$1');
}

/** A model downloaded from a URL and kept in the browser. */
export interface GgufCachedModel {
  url: string;
  bytes: number;
  /** False when a download was cut short (the model will download again). */
  complete: boolean;
}
