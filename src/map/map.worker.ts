// The map worker: computes and stores topic-map positions (MapApi).
import * as Comlink from 'comlink';
import type { MapApi } from '../shared/map-api';
import { MapService } from './map-service';

const api: MapApi = new MapService();
Comlink.expose(api);
