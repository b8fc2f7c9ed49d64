/** The topic map as stored, read straight from IndexedDB as the map worker left it. */
import type { Page } from '@playwright/test';

export interface StoredOverlay {
  datasetId: string;
  uuids: string;
  xy: number[];
  novel: number;
}

export interface StoredLayout {
  uuids: string;
  xy: number[];
  labels: { x: number; y: number; terms: string[] }[];
  overlays: StoredOverlay[];
}

export function readLayout(page: Page, datasetId: string): Promise<StoredLayout | undefined> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('magpie-studio');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    interface Row {
      uuids: string;
      xy: Float32Array;
      labels: [];
      overlays?: { datasetId: string; uuids: string; xy: Float32Array; novel: number }[];
    }
    const row = await new Promise<Row | undefined>((resolve, reject) => {
      const req = db.transaction('mapLayouts').objectStore('mapLayouts').get(id);
      req.onsuccess = () => resolve(req.result as Row | undefined);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return (
      row && {
        uuids: row.uuids,
        xy: Array.from(row.xy),
        labels: row.labels,
        overlays: (row.overlays ?? []).map((o) => ({ ...o, xy: Array.from(o.xy) })),
      }
    );
  }, datasetId);
}
