/**
 * Cheap tags for an import's batches, spread over a few workers. Language detection and
 * the repetition count cost ~0.1 ms a row, more than reading and storing one, so on
 * a machine with cores to spare they run beside the import instead of inside it.
 */
import * as Comlink from 'comlink';
import { loadCheapTagger, type CheapTags, type TaggedText } from '../record-rules/cheap-tags';
import type { TagsWorkerApi } from './tags.worker';

type TextPair = TaggedText;

export interface Tagger {
  tag(pairs: TextPair[]): Promise<CheapTags[]>;
  close(): void;
}

/** On this thread: where workers cannot start (unit tests in Node) or one core is all. */
export const localTagger: Tagger = {
  tag: async (pairs) => pairs.map(await loadCheapTagger()),
  close: () => undefined,
};

/** One worker per spare core (at most 8); the local tagger where there is none to spare. */
export function tagPool(): Tagger {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 1;
  const size = Math.min(8, cores - 1);
  if (typeof Worker === 'undefined' || size < 1) return localTagger;
  const workers = Array.from(
    { length: size },
    () =>
      new Worker(new URL('./tags.worker.ts', import.meta.url), {
        type: 'module',
        name: 'magpie-tags',
      }),
  );
  const remotes = workers.map((w) => Comlink.wrap<TagsWorkerApi>(w));
  // A worker that dies (out of memory) fails the batch instead of leaving it waiting forever.
  const died = new Promise<never>((_, reject) => {
    for (const w of workers) {
      w.addEventListener('error', (e) =>
        reject(new Error(`A tagging worker stopped: ${e.message}`)),
      );
    }
  });
  died.catch(() => undefined);
  return {
    async tag(pairs) {
      const slice = Math.ceil(pairs.length / remotes.length);
      const parts = await Promise.race([
        Promise.all(remotes.map((r, i) => r.tag(pairs.slice(i * slice, (i + 1) * slice)))),
        died,
      ]);
      return parts.flat();
    },
    close: () => workers.forEach((w) => w.terminate()),
  };
}
