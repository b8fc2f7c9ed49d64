/** A helper of the transfer worker: cheap tags for a slice of an import's batch. */
import * as Comlink from 'comlink';
import { cheapTags, type TaggedText } from '../record-rules/cheap-tags';

const api = { tag: (pairs: TaggedText[]) => pairs.map(cheapTags) };
export type TagsWorkerApi = typeof api;
Comlink.expose(api);
