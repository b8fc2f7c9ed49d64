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
import { loadDetectLanguage } from '../record-rules/language';
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
  connect: async (...args) => {
    const connected = await pipeline.connect(...args);
    // The language detector's data loads once the model is connected, not before: Connect
    // does not wait for it, and a first pair made later offline finds it cached.
    if (connected.ok) void loadDetectLanguage().catch(() => undefined);
    return connected;
  },
  cancelConnect: () => pipeline.cancelConnect(),
  run: (...args) => pipeline.run(...args),
  stop: () => pipeline.stop(),
  writeSystemPrompts: (...args) => pipeline.writeSystemPrompts(...args),
  judge: (...args) => judge.judge(...args),
  stopJudge: () => judge.stopJudge(),
};
Comlink.expose(api);
