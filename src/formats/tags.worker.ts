/** A helper of the transfer worker: cheap tags for a slice of an import's batch. */
import * as Comlink from 'comlink';
import { loadCheapTagger, type TaggedText } from '../record-rules/cheap-tags';

const api = { tag: async (pairs: TaggedText[]) => pairs.map(await loadCheapTagger()) };
export type TagsWorkerApi = typeof api;
Comlink.expose(api);
