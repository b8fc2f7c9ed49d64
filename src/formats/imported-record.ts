/**
 * A stored record made from an imported row. What the file says is kept (model, generation
 * settings, tags, review status); what it does not say stays unknown rather than invented:
 * no engine, no finish reason, no usage, only the generation settings the file names.
 */
import type { CheapTags } from '../record-rules/cheap-tags';
import type { ImportedRecord } from '../shared/record';
import { newRecord, type RecordPlace } from '../shared/record-factory';
import { REVIEW_STATUSES } from '../shared/record-schema';
import type { ParsedRow } from './from-row';
import {
  copyFileTags,
  INPUT_CONFIG_NAMES,
  pick,
  RESPONSE_CONFIG_NAMES,
  schemaValue,
  UNKNOWN_MODEL,
} from './record-fields';

export function importedRecord(
  parsed: ParsedRow,
  place: RecordPlace,
  tags: CheapTags,
): ImportedRecord {
  const { turns, meta } = parsed;
  const review = schemaValue({ kind: 'string', values: REVIEW_STATUSES }, meta.review) as
    ImportedRecord['review'] | undefined;
  const record = newRecord(
    place,
    {
      engine: 'unknown',
      model: meta.model || meta.gen_input_configs?.input_generator || UNKNOWN_MODEL,
      gen_input_configs: pick(meta.gen_input_configs, INPUT_CONFIG_NAMES),
      gen_response_configs: pick(meta.gen_response_configs, RESPONSE_CONFIG_NAMES),
    },
    turns,
    { ...tags, ...(review && { review }) },
  );
  copyFileTags(record, meta);
  if (parsed.extras) record.fileExtras = parsed.extras;
  return record;
}
