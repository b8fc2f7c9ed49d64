import { afterEach, describe, expect, it, vi } from 'vitest';

vi.setConfig({ testTimeout: 120_000 });
import { ExplorerService } from '../dataset/explorer-service';
import { recordMatches } from '../shared/filter';
import { OTHER_VALUE, type MapProgress } from '../shared/map-api';
import { MagpieDB } from '../store/db';
import { storePacks } from '../store/packs';
import { embedTexts } from './embed-texts';
import { layoutUuids } from '../store/map-layout-format';
import { DIMS, dot, LexicalModel } from './lexical';
import { MapService } from './map-service';
import { project } from './project';
import { mapRegionMembership } from './region-membership';
import { storedGroup, storedGroupSizes } from './stored-groups';
import { topicRecords } from './topic-fixture';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

const GROUPS = [
  'How do I bake sourdough bread with a crisp crust at home?',
  'Write a Python function that reverses a linked list in place.',
  'What causes the northern lights and where can I see them?',
  'Translate this paragraph about medieval castles into French.',
];
/** Near-duplicates of a base: a word swapped, punctuation and case changed. */
function variants(text: string): string[] {
  return [
    text.toLowerCase(),
    text.replace('?', '!').replace('.', ''),
    text.replace(/\b(a|the)\b/, 'my'),
    `Please: ${text}`,
  ];
}

describe('lexical embedding', () => {
  it('puts near-duplicates closer than unrelated instructions', () => {
    const texts = GROUPS.flatMap((g) => [g, ...variants(g)]);
    const model = new LexicalModel();
    for (const t of texts) model.count(t);
    const v = new Float32Array(texts.length * DIMS);
    texts.forEach((t, i) => model.embed(t, v, i * DIMS));
    const per = 5;
    for (let i = 0; i < texts.length; i++) {
      const g = Math.floor(i / per);
      let worstSame = Infinity;
      let bestOther = -Infinity;
      for (let j = 0; j < texts.length; j++) {
        if (j === i) continue;
        const s = dot(v, i, v, j);
        if (Math.floor(j / per) === g) worstSame = Math.min(worstSame, s);
        else bestOther = Math.max(bestOther, s);
      }
      expect(worstSame, texts[i]).toBeGreaterThan(bestOther);
    }
    expect(dot(v, 0, v, 0)).toBeCloseTo(1, 5);
  });
});

async function layoutOf(texts: string[], seed: number) {
  const { vectors } = await embedTexts(texts, seed, async () => undefined);
  return project(vectors, DIMS, { seed, sample: 300, epochs: 60 }, async () => undefined);
}

describe('projection', () => {
  const texts = topicRecords('d', 600, 5).map((r) => r.instruction);

  it('is the same for the same seed and differs for another', async () => {
    const a = await layoutOf(texts, 7);
    const b = await layoutOf(texts, 7);
    const c = await layoutOf(texts, 8);
    expect(Array.from(a.xy)).toEqual(Array.from(b.xy));
    expect(Array.from(a.xy)).not.toEqual(Array.from(c.xy));
    for (const v of a.xy) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  it('places each topic in a group of its own, fitted and placed points alike', async () => {
    const { xy } = await layoutOf(texts, 3);
    const centre = [0, 1, 2].map((t) => {
      let x = 0;
      let y = 0;
      let n = 0;
      for (let i = t; i < texts.length; i += 3) {
        x += xy[2 * i]!;
        y += xy[2 * i + 1]!;
        n++;
      }
      return [x / n, y / n] as const;
    });
    let misplaced = 0;
    for (let i = 0; i < texts.length; i++) {
      const d = centre.map(([x, y]) => (xy[2 * i]! - x) ** 2 + (xy[2 * i + 1]! - y) ** 2);
      if (d.indexOf(Math.min(...d)) !== i % 3) misplaced++;
    }
    expect(misplaced).toBeLessThan(texts.length * 0.02);
  });
});

async function seeded(count: number) {
  const db = new MagpieDB(`map-test-${crypto.randomUUID()}`);
  cleanup.push(() => db.delete());
  const records = topicRecords('ds', count, 2);
  await db.records.bulkPut(records);
  const svc = new MapService();
  await svc.useDatabase(db.name);
  return { db, records, svc };
}

describe('stored map', () => {
  it('stores positions that a reopened database reads back, with progress and labels', async () => {
    const { db, records, svc } = await seeded(400);
    const phases = new Set<string>();
    const out = await svc.compute('ds', { method: 'text', seed: 1 }, (p: MapProgress) => {
      phases.add(p.phase);
    });
    expect(out).toMatchObject({ ok: true, value: { points: 400 } });
    expect([...phases]).toEqual(expect.arrayContaining(['read', 'embed', 'fit', 'save']));
    const first = await db.mapLayouts.get('ds');
    db.close();
    const again = new MagpieDB(db.name);
    const stored = await again.mapLayouts.get('ds');
    again.close();
    expect(new Set(layoutUuids(stored!))).toEqual(new Set(records.map((r) => r.uuid)));
    expect(Array.from(stored!.xy)).toEqual(Array.from(first!.xy));
    const words = stored!.labels.flatMap((l) => l.terms);
    expect(words.some((w) => ['bake', 'oven', 'recipe', 'flour', 'garlic'].includes(w))).toBe(true);
  });

  // Generated records are stored as rows, imported ones packed (store/packs.ts).
  it.each(['rows', 'packs'] as const)(
    'places records added later (%s) next to their topic without a recompute',
    async (stored) => {
      const { db, svc } = await seeded(300);
      await svc.compute('ds', { method: 'text', seed: 1 }, () => undefined);
      const before = await db.mapLayouts.get('ds');
      const late = topicRecords('ds', 30, 99).map((r) => ({ ...r, uuid: crypto.randomUUID() }));
      if (stored === 'rows') await db.records.bulkPut(late);
      else await storePacks(db, late);
      expect(await svc.placeNew('ds')).toMatchObject({ ok: true, value: { placed: 30 } });
      const after = (await db.mapLayouts.get('ds'))!;
      expect(after.placedLater).toBe(30);
      const uuids = layoutUuids(after);
      const topicCentre = (t: number) => {
        let x = 0;
        let y = 0;
        let n = 0;
        for (let p = 0; p < 300; p++)
          if (p % 3 === t) {
            x += before!.xy[2 * p]!;
            y += before!.xy[2 * p + 1]!;
            n++;
          }
        return [x / n, y / n];
      };
      // Records are read in creation order, which topicRecords keeps: point p is record p.
      const centres = [0, 1, 2].map(topicCentre);
      let right = 0;
      late.forEach((r, i) => {
        const p = uuids.indexOf(r.uuid);
        const d = centres.map(
          ([x, y]) => (after.xy[2 * p]! - x!) ** 2 + (after.xy[2 * p + 1]! - y!) ** 2,
        );
        if (d.indexOf(Math.min(...d)) === i % 3) right++;
      });
      expect(right).toBeGreaterThanOrEqual(29);
      expect(await svc.placeNew('ds')).toMatchObject({ ok: true, value: { placed: 0 } });
    },
  );

  it('stops when asked and leaves the stored map unchanged', async () => {
    const { db, svc } = await seeded(300);
    const out = svc.compute('ds', { method: 'text', seed: 1 }, () => void svc.stop());
    expect(await out).toMatchObject({ ok: false, error: { code: 'aborted' } });
    expect(await db.mapLayouts.get('ds')).toBeUndefined();
  });
});

describe('region filter', () => {
  it('the explorer and export answer a polygon with the records stored inside it', async () => {
    const { db, records, svc } = await seeded(300);
    await svc.compute('ds', { method: 'text', seed: 1 }, () => undefined);
    const layout = (await db.mapLayouts.get('ds'))!;
    const uuids = layoutUuids(layout);
    // The right half of the map, as a box.
    const region = [0, -1.1, 1.1, -1.1, 1.1, 1.1, 0, 1.1];
    const expected = new Set(uuids.filter((_, p) => layout.xy[2 * p]! > 0));
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(300);

    const explorer = new ExplorerService();
    await explorer.useDatabase(db.name);
    cleanup.unshift(() => explorer.useDatabase('closed'));
    let view = await explorer.query('ds', { region }, { key: 'createdAt', desc: true });
    for (let i = 0; i < 100 && view.indexing; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await explorer.query('ds', { region }, { key: 'createdAt', desc: true });
    }
    const rows = await explorer.rows(view.queryId, 0, view.total);
    expect(new Set(rows.map((r) => r!.uuid))).toEqual(expected);

    const inRegion = await mapRegionMembership(db, 'ds', { region });
    const exported = records.filter((r) => recordMatches(r, { region }, inRegion));
    expect(new Set(exported.map((r) => r.uuid))).toEqual(expected);
    // Without the stored positions no record is in a region.
    expect(recordMatches(records[0]!, { region })).toBe(false);

    // What the page draws: live points, coloured by category, highlighted by the view.
    const points = (await explorer.mapPoints('ds', 'task_category', view.queryId))!;
    expect(points.xy.length).toBe(600);
    expect(points.inView).toBe(expected.size);
    for (let k = 0; k < 300; k++) {
      const at = await explorer.mapPointAt('ds', points.key, k);
      const record = records.find((r) => r.uuid === at!.uuid)!;
      expect(points.legend[points.color[k]!]!.value).toBe(record.task_category);
      expect(points.xy[2 * k]).toBe(layout.xy[2 * uuids.indexOf(record.uuid)]);
      if (k > 5) break;
    }
  });
});

describe('colours by run, system prompt and near-duplicate cluster', () => {
  it('gives each point its group, with counts, names and the rest as "other"', async () => {
    const db = new MagpieDB(`map-test-${crypto.randomUUID()}`);
    cleanup.push(() => db.delete());
    const records = topicRecords('ds', 240, 2);
    // 14 clusters: record c (c < 14) first, with c + 1 later copies; more than the colours.
    let next = 14;
    records.forEach((r, i) => {
      r.runId = i < 160 ? 'run-a' : 'import:5f3a9c1e-0000';
      if (i % 3 < 2) r.system_prompt = i % 3 ? 'You are a programmer.' : 'You are a chef.';
      r.min_similar_uuid = r.uuid;
      r.repeat_count = 0;
    });
    for (let c = 0; c < 14; c++) {
      records[c]!.repeat_count = c + 1;
      for (let j = 0; j <= c; j++) {
        const copy = records[next++]!;
        copy.min_similar_uuid = records[c]!.uuid;
        copy.repeat_count = 1;
      }
    }
    await db.records.bulkPut(records);
    await db.runs.put({ id: 'run-a', model: 'Qwen/Qwen2.5-1.5B-Instruct', createdAt: 0 } as never);
    const svc = new MapService();
    await svc.useDatabase(db.name);
    await svc.compute('ds', { method: 'text', seed: 1 }, () => undefined);
    const explorer = new ExplorerService();
    await explorer.useDatabase(db.name);
    cleanup.unshift(() => explorer.useDatabase('closed'));
    const byUuid = new Map(records.map((r) => [r.uuid, r]));

    for (const field of ['run', 'system_prompt', 'cluster'] as const) {
      const points = (await explorer.mapPoints('ds', field))!;
      const sizes = storedGroupSizes(records, field);
      // Every point's colour is its own group's, or "other" for groups beyond the colours.
      const shown = new Set(points.legend.map((e) => e.value));
      for (let k = 0; k < 240; k++) {
        const at = await explorer.mapPointAt('ds', points.key, k);
        const want = storedGroup(byUuid.get(at!.uuid)!, field);
        const entry = points.legend[points.color[k]!]!;
        expect(entry.value === want || (entry.value === OTHER_VALUE && !shown.has(want))).toBe(
          true,
        );
      }
      expect(points.legend.reduce((s, e) => s + e.count, 0)).toBe(240);
      for (const e of points.legend)
        if (e.value !== OTHER_VALUE)
          expect(e.count, `${field} ${e.value}`).toBe(sizes.get(e.value));
    }

    const legendOf = async (field: 'run' | 'system_prompt' | 'cluster') =>
      (await explorer.mapPoints('ds', field))!.legend.map((e): [string, number] => [
        e.label ?? e.value,
        e.count,
      ]);
    expect(await legendOf('run')).toEqual([
      [`Qwen/Qwen2.5-1.5B-Instruct, ${new Date(0).toLocaleString()}`, 160],
      ['import 5f3a9c1e', 80],
    ]);
    // Equal counts: in an order of their own, the same every time.
    expect(new Map(await legendOf('system_prompt'))).toEqual(
      new Map([
        ['You are a chef.', 80],
        ['You are a programmer.', 80],
        ['no system prompt', 80],
      ]),
    );
    const clusters = await legendOf('cluster');
    expect(clusters[0]).toEqual(['not a near-duplicate', 240 - 14 - 105]);
    // Then the largest clusters, named by their first instruction; the four smallest are "other".
    expect(clusters[1]).toEqual([`like “${records[13]!.instruction}”`, 15]);
    expect(clusters.at(-1)).toEqual([OTHER_VALUE, 2 + 3 + 4 + 5]);
    expect(clusters).toHaveLength(12);
  });
});
