/**
 * The quality worker: near-duplicates and the recipe run here, off the page's thread and
 * off the generation worker's. The pipeline worker starts it and talks to it on the
 * worker's own channel; the page gets a channel of its own through connect(port).
 */
import * as Comlink from 'comlink';
import type { QualityApi } from '../shared/quality';
import { QualityService } from './quality-service';

const service = new QualityService();
const api: QualityApi = {
  connect: async (port) => Comlink.expose(api, port),
  findDuplicates: (...args) => service.findDuplicates(...args),
  catchUp: (datasetId) => service.catchUp(datasetId),
  cancelDuplicates: () => service.cancelDuplicates(),
  summary: (datasetId) => service.summary(datasetId),
  previewRecipe: (datasetId, steps) => service.previewRecipe(datasetId, steps),
  applyRecipe: (datasetId, steps) => service.applyRecipe(datasetId, steps),
};
Comlink.expose(api);
