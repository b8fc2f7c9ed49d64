/**
 * A GGUF file (or the splits of one) summarised for the page before anything is loaded.
 */
import { EngineError } from '../../shared/engine';
import { ggufModelId, type GgufInfo } from '../../shared/gguf';
import { NotGgufError, readGgufHeader, type GgufHeader, type GgufValue } from './gguf-header';

/** llama_ftype (llama.h) by number, as general.file_type stores it. */
const FILE_TYPES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  7: 'Q8_0',
  8: 'Q5_0',
  9: 'Q5_1',
  10: 'Q2_K',
  11: 'Q3_K_S',
  12: 'Q3_K_M',
  13: 'Q3_K_L',
  14: 'Q4_K_S',
  15: 'Q4_K_M',
  16: 'Q5_K_S',
  17: 'Q5_K_M',
  18: 'Q6_K',
  19: 'IQ2_XXS',
  20: 'IQ2_XS',
  21: 'Q2_K_S',
  22: 'IQ3_XS',
  23: 'IQ3_XXS',
  24: 'IQ1_S',
  25: 'IQ4_NL',
  26: 'IQ3_S',
  27: 'IQ3_M',
  28: 'IQ2_S',
  29: 'IQ2_M',
  30: 'IQ4_XS',
  31: 'IQ1_M',
  32: 'BF16',
  36: 'TQ1_0',
  37: 'TQ2_0',
  38: 'MXFP4',
};

/** ggml_type names, for files without general.file_type. */
const TENSOR_TYPES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  6: 'Q5_0',
  7: 'Q5_1',
  8: 'Q8_0',
  10: 'Q2_K',
  11: 'Q3_K',
  12: 'Q4_K',
  13: 'Q5_K',
  14: 'Q6_K',
  30: 'BF16',
};

const num = (v: GgufValue | undefined) =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
const str = (v: GgufValue | undefined) => (typeof v === 'string' ? v : undefined);

function tokenText(header: GgufHeader, key: string): string | undefined {
  const id = num(header.metadata.get(key));
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  if (id === undefined || !Array.isArray(tokens)) return undefined;
  return str(tokens[id]);
}

function quantization(header: GgufHeader): string {
  const fileType = num(header.metadata.get('general.file_type'));
  if (fileType !== undefined && FILE_TYPES[fileType]) return FILE_TYPES[fileType];
  // The type most of the weights (by tensor count of 2-D tensors) are stored in.
  const counts = new Map<number, number>();
  for (const t of header.tensors) {
    if (t.dims.length >= 2) counts.set(t.type, (counts.get(t.type) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0];
  return top ? (TENSOR_TYPES[top[0]] ?? `ggml type ${top[0]}`) : 'unknown';
}

/** llama.cpp's rule: the file's flag, else true for SentencePiece ('llama') vocabularies. */
function addBos(header: GgufHeader): boolean {
  const flag = header.metadata.get('tokenizer.ggml.add_bos_token');
  if (typeof flag === 'boolean') return flag;
  return str(header.metadata.get('tokenizer.ggml.model')) === 'llama';
}

/** Splits in the order llama.cpp wants them: by their "-0000k-of-0000n" number, else as given. */
export function orderSplits<T extends { name: string }>(files: T[]): T[] {
  const index = (f: T) => Number(/-(\d{5})-of-\d{5}\.gguf$/i.exec(f.name)?.[1] ?? 0);
  return [...files].sort((a, b) => index(a) - index(b));
}

export async function inspectGguf(files: File[]): Promise<GgufInfo> {
  if (files.length === 0) {
    throw new EngineError('invalid-file', 'No file was chosen.', 'Choose a .gguf file.');
  }
  const ordered = orderSplits(files);
  const headers: GgufHeader[] = [];
  for (const file of ordered) {
    try {
      headers.push(await readGgufHeader(file));
    } catch (err) {
      if (!(err instanceof NotGgufError)) throw err;
      throw new EngineError(
        'invalid-file',
        `${file.name} is not a GGUF model: ${err.message}.`,
        'Choose a .gguf file, e.g. from a Hugging Face repository whose name ends in -GGUF.',
      );
    }
  }
  const first = headers[0];
  if (!first) throw new EngineError('invalid-file', 'No file was chosen.', 'Choose a .gguf file.');
  const meta = first.metadata;
  const architecture = str(meta.get('general.architecture')) ?? 'unknown';
  let parameters = 0;
  for (const h of headers) {
    for (const t of h.tensors) parameters += t.dims.reduce((a, b) => a * b, 1);
  }
  return {
    id: ggufModelId(ordered[0]?.name ?? 'model.gguf'),
    name: str(meta.get('general.name')),
    architecture,
    parameters,
    quantization: quantization(first),
    contextLength: num(meta.get(`${architecture}.context_length`)),
    layers: num(meta.get(`${architecture}.block_count`)),
    bytes: files.reduce((sum, f) => sum + f.size, 0),
    splits: files.length,
    expectedSplits: num(meta.get('split.count')) ?? 1,
    chatTemplate: str(meta.get('tokenizer.chat_template')),
    bosToken: tokenText(first, 'tokenizer.ggml.bos_token_id'),
    eosToken: tokenText(first, 'tokenizer.ggml.eos_token_id'),
    addBos: addBos(first),
  };
}
