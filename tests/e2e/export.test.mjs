// Export: every chart as a PNG (drawn again at 2×), the metric history as CSV, and Σx, Σw,
// their eigenvectors and the metrics as JSON, from the menu (real downloads) and the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';
import { PNG_SIGNATURE, demo, downloadOf, openDemoPage, pngSize } from './demo-helpers.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

const CSV_HEADER = 'step,loss,accuracy,misalignment,misalignment_random,alignment,angle_deg';

/** Opens the export menu and presses the item for `which` (a chart name, 'csv' or 'json'). */
async function exportFromMenu(page, which) {
  const menu = page.locator('covalign-demo details.export');
  if (!(await menu.getAttribute('open') !== null)) await menu.locator('summary').click();
  return downloadOf(page, () => menu.locator(`button[data-export="${which}"]`).click());
}

test('each chart downloads as a PNG at twice its size on screen', async () => {
  const { context, page, consoleErrors, foreignRequests } = await openDemoPage(browser, server, '?dim=3&seed=5');
  await demo(page, (el) => el.advance(120));
  const charts = await demo(page, (el) => [...el.shadowRoot.querySelectorAll('canvas[data-chart]')].map((c) => [c.dataset.chart, c.clientWidth, c.clientHeight]));
  assert.deepEqual(charts.map(([c]) => c), ['data', 'weights', 'curves', 'overlap', 'eigenmap']);
  for (const [chart, width, height] of charts) {
    const { name, bytes } = await exportFromMenu(page, chart);
    assert.equal(name, `covalign-${chart}-step120.png`);
    assert.deepEqual([...bytes.subarray(0, 8)], PNG_SIGNATURE, `${chart}: not a PNG`);
    assert.deepEqual(pngSize(bytes), { width: 2 * width, height: 2 * height }, chart);
    assert.ok(bytes.length > 5000, `${chart}: ${bytes.length} bytes is too small to hold a chart`);
  }
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('the metric history downloads as CSV: the header, then one row per recorded step', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '');
  await demo(page, (el) => el.advance(250));
  const { name, bytes } = await exportFromMenu(page, 'csv');
  assert.equal(name, 'covalign-history.csv');
  const lines = bytes.toString('utf8').trim().split('\n');
  assert.equal(lines[0], CSV_HEADER);
  const rows = lines.slice(1).map((line) => line.split(',').map(Number));
  assert.ok(rows.length >= 100, `only ${rows.length} rows`);
  assert.equal(rows[0][0], 0);
  assert.equal(rows.at(-1)[0], 250);
  for (const row of rows) {
    assert.equal(row.length, 7);
    assert.ok(row.every(Number.isFinite), `a cell is not a number: ${row}`);
  }
  // Rows are in order, and alignment opened up over the run (2-D default scenario).
  assert.ok(rows.every((r, i) => i === 0 || r[0] > rows[i - 1][0]));
  const [first, last] = [rows[0], rows.at(-1)];
  assert.ok(last[4] - last[3] > 3 * (first[4] - first[3]), 'the M(random) − M(data) gap did not open');
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('the state downloads as JSON: Σx, Σw, their eigenvectors, the settings and the metrics', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, '?dim=4&spectrum=list:4,2,1,0.5&basis=axis');
  await demo(page, (el) => el.advance(60));
  const { name, bytes } = await exportFromMenu(page, 'json');
  assert.equal(name, 'covalign-state-step60.json');
  const state = JSON.parse(bytes.toString('utf8'));
  for (const key of ['config', 'data_covariance', 'data_eigenvalues', 'data_eigenvectors_columns', 'weight_covariance', 'weight_eigenvalues', 'weight_eigenvectors_columns', 'metrics']) {
    assert.ok(key in state, `no ${key}`);
  }
  const square = (m) => m.length === 4 && m.every((row) => row.length === 4);
  assert.ok(square(state.data_covariance) && square(state.weight_covariance) && square(state.data_eigenvectors_columns) && square(state.weight_eigenvectors_columns));
  // Σx is exactly the requested diagonal (axis basis); Σw is symmetric.
  assert.deepEqual(state.data_covariance.map((row, i) => row[i]), [4, 2, 1, 0.5]);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.ok(Math.abs(state.weight_covariance[i][j] - state.weight_covariance[j][i]) < 1e-12);
  assert.deepEqual(state.data_eigenvalues, [4, 2, 1, 0.5]);
  assert.equal(state.metrics.step, 60);
  assert.equal(state.config, await demo(page, (el) => el.query));
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('the element API returns the same exports: exportPNG (any chart, scale, theme), exportCSV, exportJSON', async () => {
  const { context, page, consoleErrors } = await openDemoPage(browser, server, 'examples/blog-post.html');
  const result = await demo(page, async (el) => {
    el.pause();
    el.advance(30);
    const shown = await el.exportPNG('weights');
    const hidden = await el.exportPNG('misalignment', { scale: 1, theme: 'contrast' });
    const bytes = new Uint8Array(await hidden.arrayBuffer());
    const view = new DataView(bytes.buffer);
    return {
      shown: [shown.type, shown.size],
      hidden: [hidden.type, view.getUint32(16), view.getUint32(20)],
      signature: [...bytes.slice(0, 8)],
      csv: el.exportCSV().split('\n')[0],
      json: Object.keys(JSON.parse(el.exportJSON())).sort(),
    };
  }, null, 'covalign-demo[panels="data,weights"]');
  assert.equal(result.shown[0], 'image/png');
  assert.ok(result.shown[1] > 5000);
  // A chart that is not on screen is drawn at its default size (640 × 480 CSS px).
  assert.deepEqual(result.hidden, ['image/png', 640, 480]);
  assert.deepEqual(result.signature, PNG_SIGNATURE);
  assert.equal(result.csv, CSV_HEADER);
  assert.ok(result.json.includes('data_covariance') && result.json.includes('weight_covariance'));
  // download() through the API is a real download too.
  const { name, bytes } = await downloadOf(page, () => demo(page, (el) => el.download('csv'), null, 'covalign-demo[panels="data,weights"]'));
  assert.equal(name, 'covalign-history.csv');
  assert.ok(bytes.toString().startsWith(CSV_HEADER));
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('the export menu: only with full controls; Escape closes it and returns the focus', async () => {
  const { context, page } = await openDemoPage(browser, server, 'examples/blog-post.html');
  assert.equal(await page.locator('covalign-demo details.export').count(), 0, 'minimal controls have no export menu');
  const { context: full, page: index } = await openDemoPage(browser, server, '');
  const summary = index.locator('covalign-demo details.export summary');
  await summary.focus();
  await index.keyboard.press('Enter');
  assert.equal(await index.locator('covalign-demo details.export').getAttribute('open'), '');
  await index.keyboard.press('Tab');
  await index.keyboard.press('Escape');
  assert.equal(await index.locator('covalign-demo details.export').getAttribute('open'), null);
  assert.equal(await index.evaluate(() => document.querySelector('covalign-demo').shadowRoot.activeElement?.localName), 'summary');
  await context.close();
  await full.close();
});
