// The layering check (`npm run check:layers`, run by `npm test`) must fail on a forbidden
// import: run it, with the project's own rules, on small trees written for the purpose.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (path -> source) into a fresh tree and runs the check there. */
function check(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'layers-'));
  dirs.push(dir);
  copyFileSync(join(ROOT, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
  }
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/depcruise'),
    ['src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd: dir, encoding: 'utf8' },
  );
  return { status: r.status, output: r.stdout + r.stderr };
}

// Each run starts the checker afresh (a few seconds on a busy machine).
describe('layering check', { timeout: 60_000 }, () => {
  it('passes a tree that keeps the layers', () => {
    const r = check({
      'src/shared/record.ts': 'export type Id = string;\n',
      'src/store/db.ts':
        "import type { Id } from '../shared/record';\nexport const ids: Id[] = [];\n",
      'src/ui/App.tsx': "import { ids } from '../store/db';\nexport const n = ids.length;\n",
    });
    expect(r.output).toContain('no dependency violations');
    expect(r.status).toBe(0);
  });

  it('fails when the store imports from above it (also a type-only import)', () => {
    const r = check({
      'src/dataset/snapshot.ts': 'export interface Row { id: string }\n',
      'src/store/db.ts':
        "import type { Row } from '../dataset/snapshot';\nexport const rows: Row[] = [];\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      'store-imports-nothing-above-it: src/store/db.ts → src/dataset/snapshot.ts',
    );
  });

  it('fails when the pipeline imports quality code, but lets its worker entry compose both', () => {
    const r = check({
      'src/quality/judge.ts': 'export const judge = 1;\n',
      'src/pipeline/generate.ts':
        "import { judge } from '../quality/judge';\nexport const g = judge;\n",
      'src/pipeline/pipeline.worker.ts':
        "import { judge } from '../quality/judge';\nexport const w = judge;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      'pipeline-not-quality: src/pipeline/generate.ts → src/quality/judge.ts',
    );
    expect(r.output).not.toContain('src/pipeline/pipeline.worker.ts →');
  });

  it('fails when the page imports worker code, and on an import cycle', () => {
    const r = check({
      'src/dataset/service.ts': 'export const service = 1;\n',
      'src/ui/View.tsx':
        "import { service } from '../dataset/service';\nexport const v = service;\n",
      'src/shared/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
      'src/shared/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      'ui-reaches-workers-through-shared-api: src/ui/View.tsx → src/dataset/service.ts',
    );
    expect(r.output).toContain('no-circular');
  });
});
