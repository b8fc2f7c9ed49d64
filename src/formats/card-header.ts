/**
 * The dataset card's YAML header, as the Hugging Face Hub reads it: language, size category,
 * the data file, and dataset_info with the features the rows carried.
 */
import type { ExportRequest } from '../shared/transfer-api';
import type { ExportStats } from './export-stats';
import { featuresOf, featureYaml, scalar, sizeCategory } from './hf-features';

/** Languages below this share of rows stay out of the header (detection on short text is noisy). */
const HEADER_LANGUAGE_SHARE = 0.01;

function headerLanguages(stats: ExportStats): string[] {
  // Files name languages in either case ('EN' in Magpie's releases, 'en' detected): one code each.
  const counts = new Map<string, number>();
  for (const [code, n] of stats.languages) {
    const key = code.toLowerCase();
    if (key) counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return [...counts]
    .filter(([, n]) => n / Math.max(1, stats.rows) >= HEADER_LANGUAGE_SHARE)
    .sort((a, b) => b[1] - a[1])
    .map(([code]) => code);
}

export function yamlHeader(
  datasetName: string,
  request: ExportRequest,
  stats: ExportStats,
): string {
  const languages = headerLanguages(stats);
  // Parquet holds an extra field as its JSON text (parquet-schema.ts); JSONL as the file had it.
  const parquet = request.options.file === 'parquet';
  const features = featuresOf(stats.fields, stats.nested, (name) =>
    parquet ? 'string' : (stats.extraKinds.get(name) ?? 'null'),
  );
  const lines = ['---'];
  if (languages.length) lines.push('language:', ...languages.map((l) => `- ${scalar(l)}`));
  lines.push(
    `pretty_name: ${scalar(datasetName)}`,
    'size_categories:',
    `- ${scalar(sizeCategory(stats.rows))}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- synthetic',
    '- magpie',
    'configs:',
    '- config_name: default',
    '  data_files:',
    '  - split: train',
    `    path: ${scalar(request.fileName)}`,
    'dataset_info:',
    ...(features ? ['  features:', ...featureYaml(features, '  ')] : []),
    '  splits:',
    '  - name: train',
    `    num_examples: ${stats.rows}`,
    `  download_size: ${stats.bytes}`,
    '---',
  );
  return lines.join('\n') + '\n';
}
