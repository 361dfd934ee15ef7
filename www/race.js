// <covalign-race>: the transfer race. Pre-train on random labels, then fine-tune on real labels
// of new data next to a network trained from scratch (and three controls), live. The engine
// (RaceApp in src/web.rs) does the work a slice at a time so that every frame stays short.
//
// Attributes: preset (helps | depends | hurts), any settings key (same names as the URL; they
// override the preset's), autoplay, theme (auto | light | dark | contrast), chrome (none hides
// the heading, the preset buttons and the explanation: for hosts that show their own, such as
// the story's chapter bar).
// API: run(), stop(), reset(), .progress, .curves, .lines; events covalign-race-progress
// (a few times a second) and covalign-race-done (detail = curves).
import { loadEngine, messageOf } from './engine.js';
import { RaceApp, race_presets_json } from './pkg/covalign.js';

const FRAME_BUDGET_MS = 10; // engine work per animation frame
const SLICE = 4; // work units per advance() call (one unit = one minibatch update of one network)
const EDITABLE = [
  ['task', 'downstream task', 'low:K / top:K (quietest / loudest K whitened directions), white, teacher, random'],
  ['transfer', 'layers transferred', 'first | all'],
  ['hidden', 'hidden width', 'first hidden layer'],
  ['hidden2', 'second hidden width', '0 = none'],
  ['upstream_steps', 'pre-training steps', 'on random labels'],
  ['downstream_steps', 'fine-tuning steps', 'on real labels'],
  ['downstream_lr', 'fine-tuning lr', ''],
  ['repeats', 'repeats', 'seeds averaged; bands are ±1 sd'],
];

const CSS = `
:host { display: block; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  font-size: clamp(16px, 0.45vw + 11px, 22px); line-height: 1.45; margin: 1em 0; container-type: inline-size; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { --bg: #f7f6f2; --surface: #fff; --ink: #1f2933; --muted: #5b6472; --line: #d8dbe0; --button: #eef0f3;
  --primary: #27394f; --primary-ink: #fff; --focus: #0a64c8; --error: #b3261e;
  background: var(--bg); color: var(--ink); padding: 0.75em; border-radius: 10px; }
.root[data-theme="dark"] { --bg: #10141a; --surface: #161b22; --ink: #e6e9ee; --muted: #a3acb8; --line: #323b47;
  --button: #222a35; --primary: #c9d6e6; --primary-ink: #10141a; --focus: #7cb8ff; --error: #ff8a80; }
.root[data-theme="contrast"] { --bg: #000; --surface: #000; --ink: #fff; --muted: #e0e0e0; --line: #fff;
  --button: #000; --primary: #ffd400; --primary-ink: #000; --focus: #ffd400; --error: #ff6b6b; font-size: 1.2em; }
h3 { margin: 0 0 0.3em; font-size: 1.15em; }
.presets, .actions { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin: 0.4em 0; }
button { font: inherit; color: var(--ink); background: var(--button); border: 1px solid var(--line);
  border-radius: 6px; padding: 0.3em 0.8em; cursor: pointer; min-height: 2.2em; }
button[aria-pressed="true"], button.primary { background: var(--primary); color: var(--primary-ink); border-color: var(--primary); }
button:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.why { margin: 0.3em 0 0.6em; max-width: 70ch; }
details { margin: 0.4em 0; }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(11em, 1fr)); gap: 0.5em 1em; margin-top: 0.5em; }
label { display: flex; flex-direction: column; font-size: 0.9em; }
label small { color: var(--muted); }
input { font: inherit; padding: 0.2em 0.4em; border: 1px solid var(--line); border-radius: 6px; background: var(--surface); color: var(--ink); min-width: 0; }
.progress { display: flex; gap: 0.6em; align-items: center; flex-wrap: wrap; }
progress { flex: 1 1 12em; height: 0.8em; accent-color: var(--primary); }
.panel { background: var(--surface); border: 1px solid var(--line); border-radius: 8px; margin-top: 0.5em; }
canvas { display: block; width: 100%; aspect-ratio: 16 / 9; min-height: 280px; }
/* Narrow: the key sits under the plot (drawn by the engine), so the canvas is taller. */
@container (max-width: 520px) { canvas { aspect-ratio: 2 / 3; } }
.result { margin: 0.5em 0 0; }
.table { overflow-x: auto; }
.error { color: var(--error); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table { border-collapse: collapse; font-size: 0.85em; margin-top: 0.5em; max-width: 100%; }
caption { text-align: start; }
th, td { padding: 0.15em 0.6em; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
`;

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null));
  return node;
}

const percent = (x) => `${Math.round(100 * x)}%`;
const isOn = (value) => value != null && value !== 'false' && value !== '0';

class CovalignRace extends HTMLElement {
  static observedAttributes = ['preset', 'theme', 'chrome'];

  constructor() {
    super();
    this._root = el('div', { className: 'root' });
    const style = el('style', { textContent: CSS });
    this.attachShadow({ mode: 'open' }).append(style, this._root);
    this._race = null;
    this._frame = 0;
    this._overrides = {}; // settings the reader typed, on top of the preset
    this._onColorScheme = () => this._draw();
    this._resize = new ResizeObserver(() => this._draw());
    this._ready = loadEngine().then(() => {
      this._presets = JSON.parse(race_presets_json());
      this._build();
      if (this.isConnected) this._listen();
      this._start(isOn(this.getAttribute('autoplay')) && !matchMedia('(prefers-reduced-motion: reduce)').matches);
    });
    this._ready.catch((err) => {
      this._root.replaceChildren(el('p', { className: 'error', role: 'alert',
        textContent: `The transfer race could not start: ${messageOf(err)}` }));
    });
  }

  connectedCallback() {
    if (!this._presets) return; // built once the engine has loaded
    this._listen();
    if (!this._race) this._start(false); // moved back into the page after being removed
  }

  get ready() { return this._ready; }
  get progress() { return this._race ? JSON.parse(this._race.progress_json()) : null; }
  get curves() { return this._race ? JSON.parse(this._race.curves_json()) : []; }
  get lines() { return this._race ? this._race.lines().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []; }
  get running() { return this._frame !== 0; }

  attributeChangedCallback(name) {
    if (!this._presets) return;
    if (name === 'preset') {
      this._overrides = {};
      this._start(false);
    } else if (name === 'chrome') this._applyChrome();
    else this._draw();
  }

  _applyChrome() {
    const hide = this.getAttribute('chrome') === 'none';
    for (const node of [this._heading, this._presetBar, this._why]) node.hidden = hide;
  }

  /** Listeners that hold the element (and its engine object): only while it is in the page. */
  _listen() {
    this._resize.observe(this._canvas);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', this._onColorScheme);
  }

  /** Removed from the page (a story chapter left): stop, let go of listeners, free the race. */
  disconnectedCallback() {
    this.stop();
    this._resize.disconnect();
    matchMedia('(prefers-color-scheme: dark)').removeEventListener('change', this._onColorScheme);
    this._race?.free();
    this._race = null;
  }

  _preset() {
    const id = this.getAttribute('preset') || 'helps';
    return this._presets.find((p) => p.id === id) || this._presets[0];
  }

  /** The preset's settings, then this element's own attributes, then what the reader typed. */
  _query() {
    const params = new URLSearchParams(this._preset().query);
    for (const { name, value } of this.attributes) {
      if (!['preset', 'theme', 'autoplay', 'chrome', 'id', 'class', 'style'].includes(name)) params.set(name, value);
    }
    for (const [k, v] of Object.entries(this._overrides)) params.set(k, v);
    return params.toString();
  }

  _build() {
    this._presetButtons = this._presets.map((p) =>
      el('button', { type: 'button', textContent: p.title, onclick: () => this.setAttribute('preset', p.id) }));
    this._why = el('p', { className: 'why' });
    this._fields = EDITABLE.map(([key, label, hint]) => {
      const input = el('input', { name: key, type: 'text', spellcheck: false });
      input.addEventListener('change', () => { this._overrides[key] = input.value.trim(); this._start(false); });
      return [key, el('label', {}, `${label} `, input, hint ? el('small', { textContent: hint }) : null), input];
    });
    this._runButton = el('button', { type: 'button', className: 'primary', textContent: 'Run the race', onclick: () => (this.running ? this.stop() : this.run()) });
    this._progress = el('progress', { max: 1, value: 0 });
    this._progress.setAttribute('aria-label', 'Progress of the race');
    this._progressText = el('span', { textContent: '' });
    this._canvas = el('canvas', { role: 'img' });
    this._result = el('p', { className: 'result' });
    // Screen readers hear the phase changes and the result, not every update of the numbers.
    this._live = el('p', { className: 'sr-only' });
    this._live.setAttribute('aria-live', 'polite');
    this._error = el('p', { className: 'error', hidden: true, role: 'alert' });
    this._table = el('div', { className: 'table' }); // scrolls sideways rather than widen the page
    this._heading = el('h3', { textContent: 'Transfer race: does pre-training on random labels help?' });
    this._presetBar = el('div', { className: 'presets', role: 'group', ariaLabel: 'race presets' }, ...this._presetButtons);
    this._root.append(
      this._heading,
      this._presetBar,
      this._why,
      el('details', {}, el('summary', { textContent: 'Settings' }), el('div', { className: 'fields' }, ...this._fields.map((f) => f[1]))),
      el('div', { className: 'actions' }, this._runButton, el('button', { type: 'button', textContent: 'Reset', onclick: () => this.reset() })),
      el('div', { className: 'progress' }, this._progress, this._progressText),
      this._error,
      el('div', { className: 'panel' }, this._canvas),
      this._result,
      this._live,
      this._table,
    );
    this._applyChrome();
  }

  _start(play) {
    this.stop();
    const preset = this._preset();
    this._presetButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(this._presets[i] === preset)));
    this._why.textContent = preset.text;
    this._race?.free();
    this._race = new RaceApp(this._query(), this._preset().query);
    this._announcedPhase = null;
    const notices = JSON.parse(this._race.notices_json());
    this._error.hidden = notices.length === 0;
    this._error.textContent = notices.map((n) => n.message).join('; ');
    const settings = new URLSearchParams(this._race.query());
    for (const [key, , input] of this._fields) input.value = settings.get(key) ?? '';
    this._table.replaceChildren();
    this._update();
    if (play) this.run();
  }

  run() {
    if (!this._race || this.running) return;
    if (this._race.finished()) this._start(false);
    this._runButton.textContent = 'Stop';
    const frame = () => {
      const start = performance.now();
      let done = false;
      try {
        while (!done && performance.now() - start < FRAME_BUDGET_MS) done = this._race.advance(SLICE);
        this._update();
      } catch (err) {
        this._error.hidden = false;
        this._error.textContent = `The race stopped: ${messageOf(err)}`;
        done = true;
      }
      if (done) {
        this._frame = 0;
        this._runButton.textContent = 'Run again';
        this.dispatchEvent(new CustomEvent('covalign-race-done', { detail: this.curves, bubbles: true, composed: true }));
      } else this._frame = requestAnimationFrame(frame);
    };
    this._frame = requestAnimationFrame(frame);
  }

  stop() {
    if (this._frame) cancelAnimationFrame(this._frame);
    this._frame = 0;
    if (this._runButton) this._runButton.textContent = this._race?.finished() ? 'Run again' : 'Run the race';
  }

  reset() { this._start(false); }

  _update() {
    if (!this._race) return;
    const p = this.progress;
    this._progress.value = p.fraction;
    const phase = { upstream: 'Pre-training on random labels', downstream: 'Fine-tuning on real labels', done: 'Finished' }[p.phase];
    this._progressText.textContent = `${phase} · ${percent(p.fraction)}`;
    this._draw();
    const now = performance.now();
    if (p.phase === 'done' || now - (this._reported ?? 0) > 300) {
      this._reported = now;
      const description = this._race.describe();
      this._result.textContent = description;
      this._canvas.setAttribute('aria-label', description);
      if (p.phase !== this._announcedPhase) {
        this._announcedPhase = p.phase;
        this._live.textContent = p.phase === 'done' ? description : `${phase}…`;
      }
      this._renderSwitch();
      this.dispatchEvent(new CustomEvent('covalign-race-progress', { detail: p, bubbles: true, composed: true }));
    }
  }

  _renderSwitch() {
    const line = this._race.switch_json();
    if (!line || this._table.childElementCount) return;
    const stats = JSON.parse(line);
    const row = (cells, tag = 'td') => el('tr', {}, ...cells.map((c) => el(tag, { textContent: c })));
    // One row per layer and network, four columns: it fits a phone's width.
    this._table.append(el('table', {},
      el('caption', { textContent: 'Hidden units on the new data at the switch (mean over repeats)' }),
      row(['units', 'fires on', 'rarely firing', 'dead'], 'th'),
      ...stats.layers.flatMap((l) => [
        row([`layer ${l.layer} (${l.width}), pre-trained`, percent(l.upstream.firing_rate), percent(l.upstream.rare_fraction), percent(l.upstream.dead_fraction)]),
        row([`layer ${l.layer}, fresh`, percent(l.scratch.firing_rate), percent(l.scratch.rare_fraction), percent(l.scratch.dead_fraction)]),
      ]),
    ));
  }

  _theme() {
    const theme = this.getAttribute('theme');
    if (['light', 'dark', 'contrast'].includes(theme)) return theme;
    return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  _draw() {
    if (!this._race) return;
    const theme = this._theme();
    this._root.dataset.theme = theme;
    const canvas = this._canvas;
    const width = Math.round(canvas.clientWidth * devicePixelRatio);
    const height = Math.round(canvas.clientHeight * devicePixelRatio);
    if (!width || !height) return;
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    try {
      this._race.draw(canvas, devicePixelRatio, theme);
    } catch (err) {
      this._error.hidden = false;
      this._error.textContent = messageOf(err);
    }
  }
}

if (!customElements.get('covalign-race')) customElements.define('covalign-race', CovalignRace);
