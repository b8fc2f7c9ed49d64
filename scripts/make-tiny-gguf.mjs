#!/usr/bin/env node
/**
 * Writes a tiny GGUF model llama.cpp can load: the llama architecture with seeded random
 * weights (n_embd 64, 2 layers), a SentencePiece vocabulary of ~450 tokens (BOS/EOS, ChatML's
 * <|im_start|>/<|im_end|>, the 256 byte tokens, letters and common words) and a ChatML
 * `tokenizer.chat_template`. Tests and the benchmark make it at run time: no download.
 *
 *   node scripts/make-tiny-gguf.mjs [out.gguf] [--no-template] [--arch=NAME]
 *
 * The text it writes is gibberish, but every token is real. Dimension 0 of every token
 * embedding is a large constant, so it survives to the last hidden state and the output
 * matrix's column 0 acts as a per-token bias: that is how the newline and <|im_end|> get
 * a steady chance to end a turn, and why byte and control tokens are (almost) never sampled.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TINY_GGUF_DEFAULT = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../.test-out/tiny-chatml.gguf',
);

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const WORDS = (
  'the of and to in is you that it he was for on are as with his they at be this have from or ' +
  'one had by word but not what all were we when your can said there use an each which she do ' +
  'how their if will up other about out many then them these so some her would make like him ' +
  'into time has look two more write go see number no way could people my than first water ' +
  'been call who oil its now find long down day did get come made may part how explain list ' +
  'why give example story poem code write describe compare summarize plan recipe travel city ' +
  'data model learn garden music history science health money energy ocean planet'
)
  .split(' ')
  .filter((w, i, all) => all.indexOf(w) === i);

// GGUF value types and ggml tensor types (gguf.h / ggml.h).
const T = { U16: 2, U32: 4, I32: 5, F32: 6, BOOL: 7, STRING: 8, ARRAY: 9 };
const GGML_F32 = 0;
const GGML_Q8_0 = 8;
const LLAMA_FTYPE_MOSTLY_Q8_0 = 7;
// llama_token_type
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const BYTE = 6;

function vocabulary() {
  /** @type {{ text: string; score: number; type: number; bias: number }[]} */
  const tokens = [];
  const add = (text, type, bias, score = 0) => tokens.push({ text, score, type, bias });
  add('<unk>', UNKNOWN, -3);
  add('<s>', CONTROL, -3);
  add('</s>', CONTROL, -3);
  add('<|im_start|>', CONTROL, -3);
  add('<|im_end|>', CONTROL, 0.55);
  for (let b = 0; b < 256; b++) {
    const hex = b.toString(16).toUpperCase().padStart(2, '0');
    add(`<0x${hex}>`, BYTE, b === 0x0a ? 0.75 : -3);
  }
  add('\u2581', NORMAL, -1, -1);
  for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') {
    add(c, NORMAL, -0.6, -2);
  }
  for (const p of ['.', ',', '?', '!', ':', ';', "'", '-', '(', ')']) add(p, NORMAL, -0.2, -2);
  for (const w of WORDS) add(`\u2581${w}`, NORMAL, 0, -3 + w.length * 0.1);
  return tokens;
}

/** mulberry32: the same file on every machine. */
function random(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (std) => {
    const u = Math.max(uniform(), 1e-12);
    return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

function f16(value) {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  const mant = bits & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  return sign | (exp << 10) | (mant >>> 13);
}

function quantizeQ80(values) {
  const blocks = values.length / 32;
  const out = Buffer.alloc(blocks * 34);
  for (let b = 0; b < blocks; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(values[b * 32 + i]));
    const d = amax / 127;
    out.writeUInt16LE(f16(d), b * 34);
    for (let i = 0; i < 32; i++) {
      out.writeInt8(d === 0 ? 0 : Math.round(values[b * 32 + i] / d), b * 34 + 2 + i);
    }
  }
  return out;
}

class Writer {
  parts = [];
  size = 0;
  push(buf) {
    this.parts.push(buf);
    this.size += buf.length;
  }
  u32(v) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s) {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  pad(align) {
    const rest = this.size % align;
    if (rest) this.push(Buffer.alloc(align - rest));
  }
}

function writeValue(w, type, value) {
  switch (type) {
    case T.U16: {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(value);
      return w.push(b);
    }
    case T.U32:
      return w.u32(value);
    case T.I32:
      return w.i32(value);
    case T.F32:
      return w.f32(value);
    case T.BOOL:
      return w.push(Buffer.from([value ? 1 : 0]));
    case T.STRING:
      return w.str(value);
  }
  throw new Error(`type ${type}`);
}

/**
 * @param {{ template?: boolean; seed?: number; name?: string; architecture?: string }} [opts]
 * @returns {Buffer} the whole file
 */
export function makeTinyGguf(opts = {}) {
  const { kv, tensors } = tinyModel(opts);
  return writeFile(kv, tensors);
}

/** @param {{ template?: boolean; seed?: number; name?: string; architecture?: string }} opts */
function tinyModel(opts) {
  const nEmbd = 64;
  const nHead = 4;
  const nFf = 128;
  const nLayer = 2;
  const vocab = vocabulary();
  const nVocab = vocab.length;
  const gauss = random(opts.seed ?? 1234);

  const arch = opts.architecture ?? 'llama';
  /** @type {[string, number, unknown, number?][]} key, type, value, array item type */
  // The context llama.cpp gives a slot is capped at this: room for the judge's longest
  // exchange (its prompt, spelled mostly letter by letter in this vocabulary, an answer, a
  // correction and a second answer).
  const kv = [
    ['general.architecture', T.STRING, arch],
    ['general.name', T.STRING, opts.name ?? 'Tiny ChatML'],
    ['general.file_type', T.U32, LLAMA_FTYPE_MOSTLY_Q8_0],
    ['general.alignment', T.U32, 32],
    [`${arch}.context_length`, T.U32, 4096],
    [`${arch}.embedding_length`, T.U32, nEmbd],
    [`${arch}.block_count`, T.U32, nLayer],
    [`${arch}.feed_forward_length`, T.U32, nFf],
    [`${arch}.attention.head_count`, T.U32, nHead],
    [`${arch}.attention.head_count_kv`, T.U32, nHead],
    [`${arch}.rope.dimension_count`, T.U32, nEmbd / nHead],
    [`${arch}.attention.layer_norm_rms_epsilon`, T.F32, 1e-5],
    [`${arch}.vocab_size`, T.U32, nVocab],
    ['tokenizer.ggml.model', T.STRING, 'llama'],
    ['tokenizer.ggml.tokens', T.ARRAY, vocab.map((t) => t.text), T.STRING],
    ['tokenizer.ggml.scores', T.ARRAY, vocab.map((t) => t.score), T.F32],
    ['tokenizer.ggml.token_type', T.ARRAY, vocab.map((t) => t.type), T.I32],
    ['tokenizer.ggml.unknown_token_id', T.U32, 0],
    ['tokenizer.ggml.bos_token_id', T.U32, 1],
    ['tokenizer.ggml.eos_token_id', T.U32, 2],
    ['tokenizer.ggml.add_bos_token', T.BOOL, true],
    ['tokenizer.ggml.add_eos_token', T.BOOL, false],
  ];
  if (opts.template !== false) kv.push(['tokenizer.chat_template', T.STRING, CHATML_TEMPLATE]);

  /** @type {{ name: string; dims: number[]; type: number; data: Buffer }[]} */
  const tensors = [];
  const f32Tensor = (name, values) =>
    tensors.push({
      name,
      dims: [values.length],
      type: GGML_F32,
      data: Buffer.from(new Float32Array(values).buffer),
    });
  const q8Tensor = (name, ne0, ne1, fill) => {
    const values = new Float32Array(ne0 * ne1);
    for (let r = 0; r < ne1; r++) for (let c = 0; c < ne0; c++) values[r * ne0 + c] = fill(r, c);
    tensors.push({ name, dims: [ne0, ne1], type: GGML_Q8_0, data: quantizeQ80(values) });
  };
  const ones = (n) => new Array(n).fill(1);

  // Row r of token_embd is token r; its dimension 0 is the constant that carries the bias.
  q8Tensor('token_embd.weight', nEmbd, nVocab, (_r, c) => (c === 0 ? 8 : gauss(1)));
  for (let l = 0; l < nLayer; l++) {
    const p = `blk.${l}`;
    f32Tensor(`${p}.attn_norm.weight`, ones(nEmbd));
    q8Tensor(`${p}.attn_q.weight`, nEmbd, nEmbd, () => gauss(0.25));
    q8Tensor(`${p}.attn_k.weight`, nEmbd, nEmbd, () => gauss(0.25));
    q8Tensor(`${p}.attn_v.weight`, nEmbd, nEmbd, () => gauss(0.12));
    // Outputs into the residual stream leave dimension 0 alone.
    q8Tensor(`${p}.attn_output.weight`, nEmbd, nEmbd, (r) => (r === 0 ? 0 : gauss(0.12)));
    f32Tensor(`${p}.ffn_norm.weight`, ones(nEmbd));
    q8Tensor(`${p}.ffn_gate.weight`, nEmbd, nFf, () => gauss(0.12));
    q8Tensor(`${p}.ffn_up.weight`, nEmbd, nFf, () => gauss(0.12));
    q8Tensor(`${p}.ffn_down.weight`, nFf, nEmbd, (r) => (r === 0 ? 0 : gauss(0.12)));
  }
  f32Tensor('output_norm.weight', ones(nEmbd));
  q8Tensor('output.weight', nEmbd, nVocab, (r, c) => (c === 0 ? vocab[r].bias : gauss(0.35)));

  return { kv, tensors };
}

/**
 * The same model as llama.cpp's gguf-split writes it (`<name>-00001-of-0000N.gguf`): the first
 * file carries every key, each file its share of the tensors and the split keys.
 * @param {{ splits: number; template?: boolean; seed?: number; name?: string }} opts
 * @returns {Buffer[]} the files in order
 */
export function makeTinyGgufSplits(opts) {
  const files = [];
  const { kv, tensors } = tinyModel(opts);
  const per = Math.ceil(tensors.length / opts.splits);
  for (let i = 0; i < opts.splits; i++) {
    const split = [
      ['split.no', T.U16, i],
      ['split.count', T.U16, opts.splits],
      ['split.tensors.count', T.I32, tensors.length],
    ];
    files.push(
      writeFile(
        i === 0 ? [...kv, ...split] : [['general.alignment', T.U32, 32], ...split],
        tensors.slice(i * per, (i + 1) * per),
      ),
    );
  }
  return files;
}

function writeFile(kv, tensors) {
  const w = new Writer();
  w.push(Buffer.from('GGUF', 'ascii'));
  w.u32(3);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const [key, type, value, itemType] of kv) {
    w.str(key);
    w.u32(type);
    if (type === T.ARRAY) {
      const items = /** @type {unknown[]} */ (value);
      w.u32(/** @type {number} */ (itemType));
      w.u64(items.length);
      for (const item of items) writeValue(w, /** @type {number} */ (itemType), item);
    } else {
      writeValue(w, type, value);
    }
  }
  let offset = 0;
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offset += Math.ceil(t.data.length / 32) * 32;
  }
  w.pad(32);
  for (const t of tensors) {
    w.push(t.data);
    w.pad(32);
  }
  return Buffer.concat(w.parts);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = resolve(args.find((a) => !a.startsWith('--')) ?? TINY_GGUF_DEFAULT);
  const arch = args.find((a) => a.startsWith('--arch='))?.slice('--arch='.length);
  const splits = Number(
    args.find((a) => a.startsWith('--splits='))?.slice('--splits='.length) ?? 1,
  );
  mkdirSync(dirname(out), { recursive: true });
  if (splits > 1) {
    // out names the model: tiny.gguf -> tiny-00001-of-00002.gguf, ...
    const parts = makeTinyGgufSplits({ splits, template: !args.includes('--no-template') });
    parts.forEach((part, i) => {
      const name =
        out.replace(/\.gguf$/, '') +
        `-${String(i + 1).padStart(5, '0')}-of-${String(splits).padStart(5, '0')}.gguf`;
      writeFileSync(name, part);
      console.log(`${name} (${part.length} bytes)`);
    });
  } else {
    const file = makeTinyGguf({ template: !args.includes('--no-template'), architecture: arch });
    writeFileSync(out, file);
    console.log(`${out} (${file.length} bytes)`);
  }
}
