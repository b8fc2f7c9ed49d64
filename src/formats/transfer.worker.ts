/** The transfer worker: streaming export and import run here, off the page's thread. */
import * as Comlink from 'comlink';
import { TransferService } from './transfer-service';

Comlink.expose(new TransferService());
