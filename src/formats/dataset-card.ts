/**
 * README.md for an exported file, as the Hugging Face Hub reads a dataset card: a YAML
 * header (features and types, rows, size category, language, the data file) and a body that
 * says how the data was made (models, templates, sampling, from the runs) and what it holds
 * (counts, distributions, the filters applied). Model text and names are untrusted: they go
 * into code spans and fenced blocks, never as markdown of their own.
 */
import type { RunRecord } from '../shared/run';
import { makeRecipe, recipeText } from '../shared/run-recipe';
import { toVisible } from '../shared/templates/visible';
import { FORMAT_LABELS, IMPORT_RUN_PREFIX, type ExportRequest } from '../shared/transfer-api';
import { yamlHeader } from './card-header';
import { cell, code, distribution, lengths, table } from './card-markdown';
import { describeSelection } from './describe-selection';
import type { ExportStats } from './export-stats';

export interface CardInput {
  datasetName: string;
  request: ExportRequest;
  stats: ExportStats;
  /** The stored runs behind the exported rows (imports and deleted runs are absent). */
  runs: RunRecord[];
  exportedAt: Date;
}

export function datasetCard(input: CardInput): string {
  return `${yamlHeader(input.datasetName, input.request, input.stats)}\n${body(input)}`;
}

function sampling(runs: RunRecord[], stats: ExportStats): string {
  const step = (s: RunRecord['settings']['instruction']) =>
    `T ${s.temperature}, top_p ${s.topP}, max ${s.maxTokens} tokens, rep. penalty ${s.repetitionPenalty}`;
  const rows = runs.map((run) => [
    cell(run.id.slice(0, 8)),
    stats.runs.get(run.id) ?? 0,
    cell(run.model),
    `${run.engine.kind}`,
    step(run.settings.instruction),
    step(run.settings.response),
    run.settings.seed,
    [
      run.settings.earlyStopNewline ? 'stop at newline' : '',
      run.settings.sanitize ? 'sanitised' : '',
      run.settings.keepTruncatedResponses ? 'cut responses kept' : 'cut responses dropped',
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  return table(
    ['run', 'rows', 'model', 'engine', 'instruction step', 'response step', 'seed', 'rules'],
    rows,
  );
}

function templates(runs: RunRecord[]): string {
  const seen = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = JSON.stringify(run.template);
    seen.set(key, [...(seen.get(key) ?? []), run]);
  }
  return [...seen.values()]
    .map((group) => {
      const t = group[0]!.template;
      return [
        `- family ${code(t.family)} (runs ${group.map((r) => code(r.id.slice(0, 8))).join(', ')}), ` +
          `BOS ${t.writeBos && t.bos ? `${code(t.bos)} written by the app` : 'not written by the app'}`,
        `  - pre-query: ${code(toVisible(t.preQuery))}`,
        `  - post-query: ${code(toVisible(t.postQuery))}`,
      ].join('\n');
    })
    .join('\n');
}

/** A fenced block longer than any run of backticks inside it: model text cannot close it. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.trimEnd()}\n${fence}`;
}

function body({ datasetName, request, stats, runs, exportedAt }: CardInput): string {
  const { options, selection, fileName } = request;
  const total = Math.max(1, stats.rows);
  const imported = [...stats.runs]
    .filter(([id]) => id.startsWith(IMPORT_RUN_PREFIX))
    .reduce((n, [, c]) => n + c, 0);
  const known = new Set(runs.map((r) => r.id));
  const lost = [...stats.runs]
    .filter(([id]) => !id.startsWith(IMPORT_RUN_PREFIX) && !known.has(id))
    .reduce((n, [, c]) => n + c, 0);

  const parts = [
    `# ${datasetName.replace(/[\\`*_[\]<>#]/g, '\\$&')}`,
    '',
    'Instruction–response pairs made with [Magpie](https://arxiv.org/abs/2406.08464): an aligned ' +
      'chat model is given only the text of its chat template before a user message, writes a ' +
      'user instruction, then answers it. Generated and curated in Magpie Studio.',
    '',
    '## This file',
    '',
    `- ${code(fileName)}: ${stats.rows} rows, ${stats.bytes} bytes, JSON Lines, ${FORMAT_LABELS[options.format]}.`,
    `- Text: ${options.text === 'edited' ? 'the curator’s edits where there are some, else the model’s text' : 'the model’s original text (edits left out)'}.`,
    `- System prompt: ${options.format === 'magpie' ? 'in gen_input_configs.pre_query_template' : options.systemPrompt ? 'included where the template or conversation had one' : 'not included'}.`,
    `- Extra fields: ${[options.tags && 'tags', options.genConfig && 'generation settings'].filter(Boolean).join(', ') || 'none'}.`,
    `- Exported ${exportedAt.toISOString()}.`,
    '',
    '## Selection',
    '',
    ...describeSelection(selection).map((line) => `- ${line}`),
    ...(stats.notExportable
      ? [
          `- ${stats.notExportable} matching records left out: the format cannot hold them (${options.format.endsWith('-preference') ? 'not preference records' : 'multi-turn'}).`,
        ]
      : []),
    '',
    '## How it was made',
    '',
    '### Models',
    '',
    table(
      ['model', 'rows'],
      [...stats.models].sort((a, b) => b[1] - a[1]).map(([m, n]) => [cell(m), n]),
    ),
    '',
  ];
  if (runs.length) {
    parts.push(
      '### Templates',
      '',
      templates(runs),
      '',
      '### Sampling',
      '',
      sampling(runs, stats),
      '',
      '### Run recipes',
      '',
      'Each run’s whole configuration (template, system prompts, languages, sampling, seed, drop ' +
        'rules). Save one as a `.json` file and load it in Magpie Studio (Generate, Load recipe) ' +
        'to set up the same run.',
      '',
      ...runs.flatMap((run) => [
        `Run ${code(run.id.slice(0, 8))}:`,
        '',
        fenced(recipeText(makeRecipe(run)), 'json'),
        '',
      ]),
    );
  }
  if (imported) {
    parts.push(
      `${imported} rows were imported from files: their model and generation settings are only what ` +
        'the file said (gen_input_configs where present), nothing more is known.',
      '',
    );
  }
  if (lost)
    parts.push(`${lost} rows come from runs no longer stored; their settings are unknown.`, '');
  parts.push(
    '## What it holds',
    '',
    distribution('Task category', stats.categories, total, '(not tagged)'),
    distribution('Input quality', stats.qualities, total, '(not tagged)'),
    distribution('Difficulty', stats.difficulties, total, '(not tagged)'),
    distribution(
      'Language (detected from the instruction)',
      stats.languages,
      total,
      '(undetermined)',
    ),
    distribution('Review status', stats.reviews, total, '(none)'),
    distribution('User turns per conversation', stats.turns, total, '(none)'),
    '### Lengths',
    '',
    lengths(stats.instructionLengths.summary(), stats.responseLengths.summary()),
    '',
  );
  return parts.join('\n');
}
