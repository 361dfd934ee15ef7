// npm run bench: the wasm engine in headless Chromium (steps/s, frame time while playing) next
// to the native engine on the same sizes (cargo bench), and the page's gzip transfer size.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startServer, ROOT } from '../tests/e2e/harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
let wasm;
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}www/bench.html`);
  await page.waitForFunction(() => window.benchResults, null, { timeout: 180_000 });
  wasm = await page.evaluate(() => window.benchResults);
} finally {
  await browser.close();
  await server.close();
}

console.log(`\nwasm in headless Chromium (module init ${wasm.wasm_init_ms.toFixed(0)} ms; a frame = 10 steps + every chart at 600×400):`);
console.log('case      steps/s   frame median   frame p95   settings');
for (const c of wasm.cases) {
  console.log(
    `${c.name.padEnd(8)} ${c.steps_per_s.toFixed(0).padStart(8)} ${c.frame_median_ms.toFixed(1).padStart(11)} ms ${c.frame_p95_ms.toFixed(1).padStart(8)} ms   ${c.query || '(defaults)'}`,
  );
}

console.log('\nnative (cargo bench):');
execFileSync('cargo', ['bench', '--quiet', '--bench', 'throughput'], { cwd: ROOT, stdio: 'inherit' });

// What a reader downloads for the page: HTML, the modules under www/ and the wasm. race.js is
// loaded only when a race chapter opens, so it is counted apart.
const lazy = new Set(['www/race.js']);
const files = ['index.html', ...readdirSync(join(ROOT, 'www')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `www/${f}`),
  'www/pkg/covalign.js', 'www/pkg/covalign_bg.wasm'];
const size = (list) => list.reduce(([raw, gz], f) => {
  const bytes = readFileSync(join(ROOT, f));
  return [raw + bytes.length, gz + gzipSync(bytes, { level: 9 }).length];
}, [0, 0]);
const [raw, gz] = size(files.filter((f) => !lazy.has(f)));
const [, lazyGz] = size([...lazy]);
console.log(`\npage transfer size: ${(raw / 1024).toFixed(0)} KB raw, ${(gz / 1024).toFixed(0)} KB gzip; the race panel adds ${(lazyGz / 1024).toFixed(1)} KB gzip when opened`);
