/**
 * What a test reads back as stored: every record overlaid with its derived row (review,
 * tags, near-duplicates live apart from the texts: store/derived.ts), as every reader in
 * the app sees it.
 */
import type { MagpieDB } from '../store/db';
import { allStored } from '../store/records';
import { withDerived, type AssembledRecord } from '../store/derived';

export async function allRecords(db: MagpieDB): Promise<AssembledRecord[]> {
  return withDerived(db, await allStored(db));
}
