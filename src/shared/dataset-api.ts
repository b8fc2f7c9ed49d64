/**
 * What the dataset worker offers the page, over Comlink: one worker owns a dataset's index
 * and answers every question about it (the explorer's views, facets and charts, the
 * quality summary, the recipe, near-duplicates). The page imports only this type.
 */
import type { ExplorerApi } from './explorer-api';
import type { QualityApi } from './quality';

export type DatasetApi = ExplorerApi & QualityApi;
