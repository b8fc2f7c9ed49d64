// The layering rules, checked by `npm test` (npm run check:layers). Layers, lowest first:
//   shared, record-rules        pure code any thread uses
//   store                       the Dexie database (page and workers)
//   engine                      engines (generation worker)
//   pipeline, quality, dataset, formats   each worker's own work
//   ui                          the page
// A `*.worker.ts` file is a worker's entry: it composes the services that run in that thread
// (the generation worker runs the pipeline and the judge next to the engine both need).
// The page reaches workers only through the API types in src/shared, with `new Worker(new
// URL(...))`, which is not an import.

// Tests may use src/test-support at any layer; shipped code may not (app-not-tests).

/** Folders of code that runs in a worker, never imported by the page. */
const WORKER_SIDE = '^src/(engine|pipeline|quality|dataset|formats|hub)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter and layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-is-lowest',
      severity: 'error',
      comment:
        'src/shared and src/record-rules are used by every thread and import only each other.',
      from: { path: '^src/(shared|record-rules)/' },
      to: { path: '^src/', pathNot: '^src/(shared|record-rules|test-support)/' },
    },
    {
      name: 'store-imports-nothing-above-it',
      severity: 'error',
      comment: 'The store is below every feature: it may use shared types only.',
      from: { path: '^src/store/' },
      to: { path: '^src/', pathNot: '^src/(store|shared|test-support)/' },
    },
    {
      name: 'engine-below-its-users',
      severity: 'error',
      comment: 'Engines know nothing of the pipeline, quality jobs, datasets, formats or the UI.',
      from: { path: '^src/engine/' },
      to: { path: '^src/(pipeline|quality|dataset|formats|ui)/' },
    },
    {
      name: 'pipeline-not-quality',
      severity: 'error',
      comment:
        'Generation does not import quality code; checks both need are record rules (src/record-rules). Only the worker entry composes them.',
      from: { path: '^src/pipeline/', pathNot: '\\.worker\\.ts$' },
      to: { path: '^src/(quality|dataset|formats)/' },
    },
    {
      name: 'quality-not-pipeline',
      severity: 'error',
      comment: 'Quality code does not import the generation pipeline.',
      from: { path: '^src/quality/' },
      to: { path: '^src/(pipeline|formats)/' },
    },
    {
      name: 'features-apart',
      severity: 'error',
      comment:
        'The dataset engine and export/import do not import the pipeline; nothing on the worker side imports the UI.',
      from: { path: '^src/(dataset|formats|hub)/' },
      to: { path: '^src/(pipeline|ui)/' },
    },
    {
      name: 'worker-side-not-ui',
      severity: 'error',
      from: { path: WORKER_SIDE },
      to: { path: '^src/ui/' },
    },
    {
      name: 'ui-reaches-workers-through-shared-api',
      severity: 'error',
      comment:
        'The page imports worker code nowhere: it talks to each worker through the API types in src/shared.',
      from: { path: '^src/ui/' },
      to: { path: WORKER_SIDE },
    },
    {
      name: 'app-not-tests',
      severity: 'error',
      comment: 'Shipped code does not import test helpers.',
      from: { path: '^src/', pathNot: '(\\.test\\.tsx?$|/test-|/fixtures/|^src/test-support/)' },
      to: { path: '(\\.test\\.tsx?$|/test-[^/]*$|/fixtures/|^src/test-support/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type import still ties one layer to another.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
    exclude: { path: '(^|/)node_modules/' },
  },
};
