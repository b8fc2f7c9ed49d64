/** The generation worker: the pipeline and its engine run here, off the page's thread. */
import * as Comlink from 'comlink';
import { PipelineService } from './pipeline-service';

Comlink.expose(new PipelineService());
