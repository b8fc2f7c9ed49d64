/**
 * The generation worker: the engine, the pipeline that generates with it and the judge that
 * tags with it run here, off the page's thread. This entry composes them into PipelineApi
 * (the pipeline itself imports no quality code), with what generation borrows from the
 * quality feature: the near-duplicate check before answering.
 */
import * as Comlink from 'comlink';
import { createEngine } from '../engine/create-engine';
import { MinHashGate } from '../quality/dedup/instruction-gate';
import { JudgeService } from '../quality/judge/judge-service';
import type { PipelineApi } from '../shared/worker-api';
import { getDb } from '../store/db';
import { PipelineService } from './pipeline-service';

const db = getDb();
const pipeline = new PipelineService(db, createEngine, (datasetId, signal) => {
  // It learns the dataset's instructions while the run starts; until it has read them
  // all it answers from what it has read.
  const gate = new MinHashGate();
  void gate.learnDataset(db, datasetId, signal).catch(() => undefined);
  return gate;
});
const judge = new JudgeService(db, (doing) => pipeline.lease(doing));

const api: PipelineApi = {
  listServerModels: (...args) => pipeline.listServerModels(...args),
  deleteBrowserModel: (modelId) => pipeline.deleteBrowserModel(modelId),
  inspectGguf: (files) => pipeline.inspectGguf(files),
  ggufModels: () => pipeline.ggufModels(),
  deleteGgufModel: (url) => pipeline.deleteGgufModel(url),
  connect: (...args) => pipeline.connect(...args),
  cancelConnect: () => pipeline.cancelConnect(),
  run: (...args) => pipeline.run(...args),
  stop: () => pipeline.stop(),
  writeSystemPrompts: (...args) => pipeline.writeSystemPrompts(...args),
  judge: (...args) => judge.judge(...args),
  stopJudge: () => judge.stopJudge(),
};
Comlink.expose(api);
