/** A helper of the transfer worker: cheap tags for a slice of an import's batch. */
import * as Comlink from 'comlink';
import { cheapTags } from '../record-rules/cheap-tags';
import type { TextPair } from './tag-pool';

const api = { tag: (pairs: TextPair[]) => pairs.map(cheapTags) };
export type TagsWorkerApi = typeof api;
Comlink.expose(api);
