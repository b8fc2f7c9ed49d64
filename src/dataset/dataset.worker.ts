// The dataset worker: holds the open dataset's index and answers the page (ExplorerApi).
import * as Comlink from 'comlink';
import type { ExplorerApi } from '../shared/explorer-api';
import { ExplorerService } from './explorer-service';

const api: ExplorerApi = new ExplorerService();
Comlink.expose(api);
