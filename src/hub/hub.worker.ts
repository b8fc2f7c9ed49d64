/** The hub worker: pushes to the Hugging Face Hub run here, off the page's thread. */
import * as Comlink from 'comlink';
import { HubService } from './hub-service';

Comlink.expose(new HubService());
