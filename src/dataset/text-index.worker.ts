/**
 * A helper of the worker building a new dataset's index (an import): the word index over
 * the records' texts, built here beside the import instead of on its thread, and handed
 * back sealed at the end (index-builder.ts).
 */
import * as Comlink from 'comlink';
import { TextIndex } from './text-index';

const text = new TextIndex();

const api = {
  /** Texts of ordinals in order (each text after the one before). */
  add(ords: readonly number[], texts: readonly string[]): void {
    for (let i = 0; i < ords.length; i++) text.add(ords[i]!, texts[i]!);
  },
  /** The index's segments, every one sealed. */
  seal() {
    text.seal();
    return text.sealed;
  },
};
export type TextIndexWorkerApi = typeof api;
Comlink.expose(api);
