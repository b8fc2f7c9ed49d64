/** A quality service as the dataset worker runs it: answering from an explorer index on `db`. */
import { ExplorerService } from '../dataset/explorer-service';
import type { MagpieDB } from '../store/db';
import { QualityService } from './quality-service';

export async function qualityOn(db: MagpieDB): Promise<QualityService> {
  const explorer = new ExplorerService();
  await explorer.useDatabase(db.name);
  return new QualityService(db, explorer);
}
