/**
 * The dataset worker: holds the open dataset's index and answers every question about a
 * dataset (DatasetApi): the explorer's views (ExplorerService) and the quality summary,
 * recipe and near-duplicates (QualityService, in src/quality, running in this thread).
 */
import * as Comlink from 'comlink';
import { QualityService } from '../quality/quality-service';
import type { DatasetApi } from '../shared/dataset-api';
import { getDb, MagpieDB } from '../store/db';
import { ExplorerService } from './explorer-service';

const explorer = new ExplorerService();
let quality = new QualityService(getDb(), explorer);

const api: DatasetApi = {
  async useDatabase(name) {
    await explorer.useDatabase(name);
    quality = new QualityService(new MagpieDB(name), explorer);
  },
  query: (...args) => explorer.query(...args),
  size: (...args) => explorer.size(...args),
  countSelection: (...args) => explorer.countSelection(...args),
  rows: (...args) => explorer.rows(...args),
  setReview: (...args) => explorer.setReview(...args),
  edit: (...args) => explorer.edit(...args),
  swapPreference: (...args) => explorer.swapPreference(...args),
  deleteRecords: (...args) => explorer.deleteRecords(...args),
  restoreRecords: (...args) => explorer.restoreRecords(...args),
  bulkReview: (...args) => explorer.bulkReview(...args),
  undoBulkReview: (...args) => explorer.undoBulkReview(...args),
  bulkDelete: (...args) => explorer.bulkDelete(...args),
  watch: (...args) => explorer.watch(...args),
  unwatch: (...args) => explorer.unwatch(...args),
  flush: () => explorer.flush(),
  runMix: (...args) => explorer.runMix(...args),
  nearDupSource: (datasetId) => explorer.nearDupSource(datasetId),
  setNearDupSource: (...args) => explorer.setNearDupSource(...args),
  mapPoints: (...args) => explorer.mapPoints(...args),
  mapPointAt: (...args) => explorer.mapPointAt(...args),
  findDuplicates: (...args) => quality.findDuplicates(...args),
  catchUp: (datasetId) => quality.catchUp(datasetId),
  cancelDuplicates: () => quality.cancelDuplicates(),
  summary: (datasetId) => quality.summary(datasetId),
  previewRecipe: (...args) => quality.previewRecipe(...args),
  applyRecipe: (...args) => quality.applyRecipe(...args),
};
Comlink.expose(api);
