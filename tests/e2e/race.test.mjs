// The transfer race panel in real Chromium: each preset runs to the end, draws every
// contender's curve, and the outcome has the direction the preset promises.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useBrowser } from './harness.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

async function race(page, preset) {
  return page.evaluate(async ([preset, CONTENDER_COLOURS]) => {
    await import('/www/race.js');
    document.body.innerHTML = `<covalign-race preset="${preset}" theme="light"></covalign-race>`;
    const el = document.querySelector('covalign-race');
    await el.ready;
    const started = performance.now();
    const done = new Promise((resolve) => el.addEventListener('covalign-race-done', resolve, { once: true }));
    el.shadowRoot.querySelector('button.primary').click();
    await done;
    const seconds = (performance.now() - started) / 1000;
    const canvas = el.shadowRoot.querySelector('canvas');
    // Distinct colours on the canvas: every contender's line and band must have been drawn.
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const colours = new Set();
    const counts = new Map();
    for (let i = 0; i < pixels.length; i += 4) {
      const rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
      colours.add(rgb);
      counts.set(rgb, (counts.get(rgb) ?? 0) + 1);
    }
    // Pixels in the exact colours of the three coloured contenders (light theme).
    const inColour = Object.fromEntries(Object.entries(CONTENDER_COLOURS).map(([name, rgb]) => [name, counts.get(rgb) ?? 0]));
    return { seconds, curves: el.curves, progress: el.progress, colours: colours.size, inColour, text: el.shadowRoot.querySelector('.result').textContent,
      table: el.shadowRoot.querySelector('table')?.textContent ?? '' };
  }, [preset, CONTENDER_COLOURS]);
}

// src/charts/race.rs: pre-trained orange, raw purple (dashed), covariance green (dotted).
const CONTENDER_COLOURS = { pretrained: 0xe69f00, pretrained_raw: 0xcc79a7, covariance: 0x009e73 };

const early = (curve) => {
  const points = curve.points.filter((p) => p.step > 0 && p.step <= 75);
  return points.reduce((s, p) => s + p.test_accuracy, 0) / points.length;
};

for (const [preset, check] of [
  ['helps', (c) => assert.ok(early(c.pretrained) > early(c.scratch) + 0.05, 'pre-trained learns the quiet-direction task faster')],
  ['depends', (c) => assert.ok(early(c.pretrained) < early(c.scratch) + 0.05, 'no clear gain on the loud-direction task')],
  ['hurts', (c) => assert.ok(early(c.pretrained) < early(c.scratch) + 0.02, 'the specialised layers do not help')],
]) {
  test(`race preset '${preset}' runs to the end in the browser and draws every contender`, async () => {
    const { page, consoleErrors } = await openPage(browser, `${server.url}tests/e2e/blank.html`, { viewport: { width: 1100, height: 900 } });
    const result = await race(page, preset);
    console.log(`# race ${preset}: ${result.seconds.toFixed(1)} s in the browser; pixels in colour ${JSON.stringify(result.inColour)}`);
    assert.equal(result.progress.phase, 'done');
    assert.equal(result.curves.length, 5);
    const byName = Object.fromEntries(result.curves.map((c) => [c.contender, c]));
    for (const c of result.curves) assert.ok(c.points.length > 5, `${c.contender} has a curve`);
    check(byName);
    assert.ok(result.colours > 20, 'the chart has its lines and bands');
    // A line across the plot is hundreds of pixels; the key's sample alone is under a hundred.
    for (const [name, count] of Object.entries(result.inColour)) {
      assert.ok(count > 150, `${name}'s curve: only ${count} pixels in its colour`);
    }
    assert.match(result.table, /fires on/);
    assert.ok(result.text.length > 20);
    await screenshot(page, `race-${preset}`);
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });
}
