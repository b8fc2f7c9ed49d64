/**
 * The text method's first step over a whole dataset: document frequencies from a seeded
 * sample of the instructions, then one embedding per instruction.
 */
import { prng } from '../shared/seeded';
import { DIMS, LexicalModel } from './lexical';
import { sampleIndices, type Checkpoint } from './project';

const IDF_SAMPLE = 20_000;
const CHUNK = 1000;

export async function embedTexts(
  texts: readonly string[],
  seed: number,
  checkpoint: Checkpoint,
): Promise<{ model: LexicalModel; vectors: Float32Array }> {
  const model = new LexicalModel();
  for (const i of sampleIndices(texts.length, IDF_SAMPLE, prng(seed ^ 0x5eed)))
    model.count(texts[i]!);
  const vectors = new Float32Array(texts.length * DIMS);
  for (let start = 0; start < texts.length; start += CHUNK) {
    await checkpoint({ phase: 'embed', done: start, total: texts.length });
    const end = Math.min(texts.length, start + CHUNK);
    for (let i = start; i < end; i++) model.embed(texts[i]!, vectors, i * DIMS);
  }
  return { model, vectors };
}
