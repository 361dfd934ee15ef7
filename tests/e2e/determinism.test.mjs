// The same settings give the same numbers in the browser's wasm as in the native CLI. Training
// is bit-identical: both sides draw from one seeded generator and take exp/ln/tanh from the
// libm crate, and JSON prints shortest round-trip floats. The eigen-decompositions behind the
// alignment measures go through nalgebra, which calls the platform's own hypot: those values
// agree to a relative 1e-9 rather than bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openPage, ROOT, useBrowser } from './harness.mjs';

let server;
let browser;
useBrowser((up) => ({ server, browser } = up));

const EXACT = ['step', 'loss', 'accuracy', 'dead_fraction', 'firing_rate', 'diverged', 'isotropic_data', 'sigma'];

function close(a, b, what) {
  if (Array.isArray(b)) {
    assert.equal(a.length, b.length, what);
    b.forEach((x, i) => close(a[i], x, `${what}[${i}]`));
  } else if (typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
  } else {
    assert.deepStrictEqual(a, b, what);
  }
}

function cli(args) {
  const out = execFileSync('cargo', ['run', '--release', '--quiet', '--bin', 'covalign', '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.trim().split('\n').map((line) => JSON.parse(line));
}

async function wasm(page, query, steps, every) {
  return page.evaluate(
    async ({ query, steps, every }) => {
      const { default: init, App } = await import('/www/pkg/covalign.js');
      await init();
      const app = new App(query);
      const lines = [JSON.parse(app.snapshot_json())];
      for (let done = 0; done < steps; done += every) {
        app.step(every);
        lines.push(JSON.parse(app.snapshot_json()));
      }
      return lines;
    },
    { query, steps, every },
  );
}

for (const query of ['seed=5', 'seed=2&dim=6&spectrum=power:1.5&basis=random&hidden2=16&activation=tanh&optimizer=adam&lr=0.01&ensemble=2', 'samples=0&labels=teacher&momentum=0.9']) {
  test(`wasm and native runs agree (training bit for bit): ${query}`, async () => {
    const args = query.split('&').flatMap((pair) => {
      const [k, v] = pair.split('=');
      return [`--${k}`, v];
    });
    const native = cli([...args, '--steps', '60', '--every', '20', '--overlap']);
    const { page, consoleErrors } = await openPage(browser, `${server.url}tests/e2e/blank.html`);
    const inBrowser = await wasm(page, query, 60, 20);
    assert.equal(inBrowser.length, native.length);
    for (let i = 0; i < native.length; i++) {
      for (const key of EXACT) {
        assert.deepStrictEqual(inBrowser[i][key], native[i][key], `line ${i}: ${key} differs`);
      }
      assert.deepEqual(Object.keys(inBrowser[i]), Object.keys(native[i]));
      for (const key of Object.keys(native[i]).filter((k) => !EXACT.includes(k))) {
        close(inBrowser[i][key], native[i][key], `line ${i}: ${key}`);
      }
    }
    assert.deepEqual(consoleErrors, []);
    await page.context().close();
  });
}
