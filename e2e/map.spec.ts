import { expect, test, type Page } from '@playwright/test';
import { topicRecords } from '../src/map/topic-fixture';
import { parseRegion, regionTest } from '../src/shared/region';
import { currentDatasetId, openWithDataset, seedRecords } from './support/app';
import { readLayout, type StoredLayout } from './support/map-store';

type ToScreen = (x: number, y: number) => [number, number];

/**
 * Map coordinates to screen, read from the page: each region label is pinned at the screen
 * position of the stored point nearest its centre, so two labels give scale and offset.
 */
async function screenMapping(page: Page, layout: StoredLayout): Promise<ToScreen> {
  await page.getByLabel('Topic map').scrollIntoViewIfNeeded();
  const spans = page.locator('.map-label');
  await expect(spans).toHaveCount(layout.labels.length);
  // Labels show once the view rests (hidden while it moves).
  await expect(spans.first()).toBeVisible();
  const pins = await Promise.all(
    layout.labels.map(async (label, i) => {
      const k = nearestPoint(layout.xy, label.x, label.y);
      const box = (await spans.nth(i).boundingBox())!;
      return {
        x: layout.xy[2 * k]!,
        y: layout.xy[2 * k + 1]!,
        sx: box.x + box.width / 2,
        sy: box.y + box.height / 2,
      };
    }),
  );
  let a = pins[0]!;
  let b = pins[1]!;
  for (const p of pins)
    for (const q of pins) if (Math.abs(p.x - q.x) > Math.abs(a.x - b.x)) [a, b] = [p, q];
  const scale = (a.sx - b.sx) / (a.x - b.x);
  return (x, y) => [a.sx + (x - a.x) * scale, a.sy - (y - a.y) * scale];
}

function nearestPoint(xy: number[], x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let k = 0; k < xy.length / 2; k++) {
    const d = (xy[2 * k]! - x) ** 2 + (xy[2 * k + 1]! - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

test('the map of three topics: separate groups, colours, a box as the explorer filter, click to open', async ({
  page,
}) => {
  test.setTimeout(420_000);
  // The whole map on screen: the mouse reaches only what is in the viewport.
  await page.setViewportSize({ width: 1400, height: 1300 });
  await openWithDataset(page, 'map');
  const datasetId = await currentDatasetId(page);
  const records = topicRecords(datasetId, 2000, 4);
  await seedRecords(page, records);
  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await expect(page.getByText('This dataset has no map yet')).toBeVisible();
  await page.getByRole('button', { name: 'Compute map' }).click();
  await expect(page.getByTestId('map-summary')).toContainText('2,000 records placed by text', {
    timeout: 120_000,
  });

  // Three separated groups, measured from the stored positions.
  const layout = (await readLayout(page, datasetId))!;
  const uuids = layout.uuids.split('\n');
  const byUuid = new Map(records.map((r) => [r.uuid, r]));
  const topics = [...new Set(records.map((r) => r.task_category!))];
  const pos = (p: number) => [layout.xy[2 * p]!, layout.xy[2 * p + 1]!] as const;
  const topicOfPoint = uuids.map((u) => topics.indexOf(byUuid.get(u)!.task_category!));
  const centres = topics.map((_, t) => {
    const ps = uuids.map((_, p) => p).filter((p) => topicOfPoint[p] === t);
    return [0, 1].map((d) => ps.reduce((s, p) => s + pos(p)[d]!, 0) / ps.length);
  });
  const spread = topics.map((_, t) => {
    const ds = uuids
      .map((_, p) => p)
      .filter((p) => topicOfPoint[p] === t)
      .map((p) => Math.hypot(pos(p)[0] - centres[t]![0]!, pos(p)[1] - centres[t]![1]!));
    return ds.sort((a, b) => a - b)[Math.floor(ds.length * 0.9)]!;
  });
  for (let a = 0; a < 3; a++)
    for (let b = a + 1; b < 3; b++) {
      const gap = Math.hypot(centres[a]![0]! - centres[b]![0]!, centres[a]![1]! - centres[b]![1]!);
      expect(gap).toBeGreaterThan(1.5 * (spread[a]! + spread[b]!));
    }
  // Labels name the topics from their words.
  const labelWords = layout.labels.flatMap((l) => l.terms);
  expect(labelWords).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        /python|function|compile|debug|array|pointer|recursion|javascript|typescript|variable|loop|class|module|exception|stack|compiler|integer/,
      ),
    ]),
  );

  // Colouring by task category (the default) matches the stored values, with counts.
  const legend = page.getByLabel('Colour: task category');
  for (const topic of topics) {
    const count = records.filter((r) => r.task_category === topic).length;
    await expect(legend.locator(`li[data-value="${topic}"]`)).toContainText(
      count.toLocaleString('en-US'),
    );
  }

  // Hover shows the instruction of the point under the cursor.
  const screenOf = await screenMapping(page, layout);
  const lonely = mostIsolated(layout.xy);
  const [hx, hy] = screenOf(...pos(lonely));
  await page.mouse.move(hx, hy);
  await expect(page.getByRole('tooltip')).toHaveText(byUuid.get(uuids[lonely]!)!.instruction);

  // A box around the first topic's group becomes the explorer's filter.
  const t0 = uuids.map((_, p) => p).filter((p) => topicOfPoint[p] === 0);
  const xs = t0.map((p) => pos(p)[0]);
  const ys = t0.map((p) => pos(p)[1]);
  const pad = 0.02;
  const [x0, y0] = screenOf(Math.min(...xs) - pad, Math.max(...ys) + pad);
  const [x1, y1] = screenOf(Math.max(...xs) + pad, Math.min(...ys) - pad);
  await page.getByLabel('Select a box').check();
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  // The box starts where the first move after the press lands (as a hand's first pixel does).
  await page.mouse.move(x0 + 1, y0 + 1);
  await page.waitForTimeout(50);
  for (let i = 1; i <= 10; i++)
    await page.mouse.move(x0 + ((x1 - x0) * i) / 10, y0 + ((y1 - y0) * i) / 10);
  // The lasso takes positions at most every few ms; rest at the corner so it takes the last.
  await page.waitForTimeout(100);
  await page.mouse.move(x1 + 1, y1 + 1);
  await page.waitForTimeout(100);
  await page.mouse.up();
  await expect(page).toHaveURL(/region=/);
  const region = parseRegion(new URL(page.url()).searchParams.get('region'))!;
  const inside = regionTest(region);
  const expected = uuids.filter((_, p) => inside(...pos(p))).length;
  // The box holds the group (and at most a few strays of the others).
  expect(expected).toBeGreaterThanOrEqual(t0.length * 0.97);
  expect(expected).toBeLessThanOrEqual(t0.length * 1.03);
  await expect(page.getByTestId('map-summary')).toContainText(
    `${expected.toLocaleString('en-US')} in the current filter`,
  );
  await page.getByRole('link', { name: 'Show them in Explore' }).click();
  await expect(page.getByTestId('view-count')).toContainText(
    `${expected.toLocaleString('en-US')} of 2,000`,
  );
  await expect(page.getByRole('button', { name: 'Map region ✕' })).toBeVisible();

  // Back on the map (region cleared), a click opens the record under the cursor in Explore.
  await page.getByRole('button', { name: 'Map region ✕' }).click();
  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await expect(page.getByTestId('map-summary')).toContainText('2,000 records placed');
  await expect(page.getByTestId('map-summary')).not.toContainText('in the current filter');
  const [cx, cy] = (await screenMapping(page, layout))(...pos(lonely));
  await page.mouse.move(cx, cy);
  await expect(page.getByRole('tooltip')).toBeVisible();
  await page.mouse.click(cx, cy);
  await expect(page).toHaveURL(new RegExp(`open=${uuids[lonely]}`));
  await expect(page.getByRole('complementary', { name: 'Record' })).toContainText(
    byUuid.get(uuids[lonely]!)!.instruction,
  );

  // Reopened, the stored positions are drawn without a recompute.
  await page.reload();
  await page.getByRole('navigation', { name: 'Views' }).getByText('Map').click();
  await expect(page.getByTestId('map-summary')).toContainText('2,000 records placed');
  await expect(page.getByRole('button', { name: 'Recompute map' })).toBeVisible();
});

/** The point farthest from its nearest neighbour: a click there can only mean it. */
function mostIsolated(xy: number[]): number {
  const n = xy.length / 2;
  let best = 0;
  let bestGap = -1;
  for (let p = 0; p < n; p++) {
    let near = Infinity;
    for (let q = 0; q < n; q++)
      if (q !== p)
        near = Math.min(near, Math.hypot(xy[2 * p]! - xy[2 * q]!, xy[2 * p + 1]! - xy[2 * q + 1]!));
    // Away from the edges, so the cursor stays on the canvas.
    if (near > bestGap && Math.abs(xy[2 * p]!) < 0.9 && Math.abs(xy[2 * p + 1]!) < 0.9) {
      bestGap = near;
      best = p;
    }
  }
  return best;
}
