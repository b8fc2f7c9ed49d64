// Every check the project has, in order: types (page and worker each against their own
// environment), lint, format, the layering rules (.dependency-cruiser.cjs), dead files and
// exports (knip.json), unit tests, then browser tests. Prints one closing line
// "N passed, N failed" counting unit and browser tests together.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

mkdirSync('.test-out', { recursive: true });
const steps = [
  ['types (page)', 'npx', ['tsc', '-p', 'tsconfig.page.json']],
  ['types (worker)', 'npx', ['tsc', '-p', 'tsconfig.worker.json']],
  ['types (tests, tools)', 'npx', ['tsc', '-p', 'tsconfig.tools.json']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['layers (dependency-cruiser)', 'npm', ['run', '-s', 'check:layers']],
  ['dead files and exports (knip)', 'npm', ['run', '-s', 'check:dead']],
  [
    'unit tests',
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      '--outputFile.json=.test-out/vitest.json',
    ],
  ],
  ['chromium', 'node', ['scripts/ensure-chromium.mjs']],
  ['browser tests', 'npx', ['playwright', 'test']],
];

const failedSteps = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.status !== 0) failedSteps.push(name);
}

let passed = 0;
let failed = 0;
try {
  const v = JSON.parse(readFileSync('.test-out/vitest.json', 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
} catch {
  failed += 1; // no report means the unit tests did not run
}
try {
  const port = process.env.E2E_PORT;
  const report = `.test-out/playwright${port && port !== '4173' ? `-${port}` : ''}.json`;
  const p = JSON.parse(readFileSync(report, 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
} catch {
  failed += 1;
}
console.log(`\nSteps failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length || failed ? 1 : 0);
