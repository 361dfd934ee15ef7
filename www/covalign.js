// <covalign-demo>: a tiny network trained on random labels, its first layer's weight
// covariance turning into alignment with the data covariance (Maennel et al., NeurIPS 2020).
//
//   <script type="module" src="covalign.js"></script>
//   <covalign-demo dim="2" spectrum="power:2" autoplay></covalign-demo>
//
// Attributes: every config key (same names as the URL query), plus controls (none | minimal |
// full), autoplay, panels (data,weights,curves,overlap,eigenmap), height, speed (steps per
// frame, or "slow"), theme (auto | light | dark | contrast) and url-state (the page's own demo:
// reads and writes the address). The engine (Rust → wasm) owns the model, the numbers and the
// pictures; this file owns the DOM, the controls and the animation loop.
import { loadEngine, messageOf } from './engine.js';
import { CONTROL_KINDS, MAX_SPEED, buildSettings, buildToolbar, h } from './controls.js';
import { createUrlWriter, splitQuery, uiQuery } from './url-state.js';
import { CSS } from './element-css.js';

const PANELS = {
  data: { title: 'Data', swatch: 'data', note: 'points x, their covariance Σx and its axes' },
  weights: { title: 'First-layer weights', swatch: 'weights', note: 'one point per neuron, their covariance Σw and its axes' },
  curves: { title: 'Over training', wide: true, note: 'misalignment M on the data basis vs a random basis; alignment; loss' },
  overlap: { title: 'Overlap of eigenvectors', note: '(vᵢ·uⱼ)²: a permutation matrix means aligned' },
  eigenmap: { title: 'Eigenvalue map f(σ)', note: 'spread of the weights along each data axis' },
};
const VIEW_ATTRIBUTES = ['controls', 'autoplay', 'panels', 'height', 'speed', 'theme', 'url-state', 'keyboard'];
const DEFAULT_SPEED = 3; // steps per frame: the 2-D rotation takes a couple of seconds
const SLOW_FRAMES = 10; // slow motion: one step every 10 frames, about 6 steps a second
const EVENT_INTERVAL = 250; // ms between snapshots: readout and covalign-snapshot events
const READOUT_INTERVAL = 1000; // ms between screen-reader readouts
// While training, ms between redraws of each panel; any change of settings redraws them all.
const REDRAW_INTERVAL = { data: 500, weights: 0, curves: 100, overlap: 100, eigenmap: 100 };
// `hidden` is both a config key (the first layer's width) and HTML's boolean attribute:
// an empty value (el.hidden = true) is not a width, so it means "the default".
const isWidth = (name, value) => !(name === 'hidden' && value === '');
const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

const fmt = (x, digits = 3) => (x == null || !Number.isFinite(x) ? '–' : Number(x).toPrecision(digits));

/** The one-line readout: step, loss, and the angle (2-D) or the alignment share. */
export function readoutText(s) {
  const parts = [`Step ${s.step.toLocaleString('en')}`, `loss ${fmt(s.loss)}`, `accuracy ${Math.round(100 * s.accuracy)}%`];
  if (s.isotropic_data) parts.push('isotropic data: nothing to align with');
  else if (s.angle_deg != null) parts.push(`angle ${s.angle_deg.toFixed(1)}° (0° = aligned, 45° = not)`);
  else parts.push(`alignment ${fmt(s.alignment, 2)} (chance ${fmt(s.alignment_chance, 2)})`);
  parts.push(`gap M(random) − M(data) ${fmt(s.misalignment_random - s.misalignment, 2)}`);
  if (s.diverged) parts.push('diverged');
  return parts.join(' · ');
}

class CovalignDemo extends HTMLElement {
  static observedAttributes = [...Object.keys(CONTROL_KINDS), ...VIEW_ATTRIBUTES];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.append(h('style', {}, CSS));
    this._root = h('div', { class: 'root', tabindex: '-1' }, h('p', { class: 'loading' }, 'Loading the demo…'));
    this.shadowRoot.append(this._root);
    this._app = null;
    this._playing = false;
    this._speed = DEFAULT_SPEED;
    this._slowFrame = 0;
    this._onScreen = false; // until the IntersectionObserver's first report
    this._raf = 0;
    this._dirty = true;
    this._lastReport = -Infinity;
    this._lastAnnounce = -Infinity;
    this._reportTimer = 0;
    this._canvases = new Map();
    this._drawErrors = new Set();
    this._urlUi = {};
    // Kept across re-renders (a change of `controls` must not drop a notice).
    this._notices = h('div', { class: 'status' });
    this._divergence = h('div', {});
    this._readout = h('p', { class: 'readout', 'aria-hidden': 'true' });
    this._liveReadout = h('p', { class: 'sr-only', 'aria-live': 'polite' });
    this.ready = new Promise((resolve) => { this._resolveReady = resolve; });
    this._tick = this._tick.bind(this);
    this._onKey = this._onKey.bind(this);
    this._onVisibility = () => this._invalidate();
  }

  // ---- public API -------------------------------------------------------------------------
  /** The latest snapshot as a plain object (the CLI's key names), or null before loading. */
  get metrics() { return this._app ? JSON.parse(this._app.snapshot_json()) : null; }
  /** Training steps taken since the last reset. */
  get step() { return this._app ? this._app.step_count() : 0; }
  get playing() { return this._playing; }
  /** Every setting as a query string: opening it reproduces this run exactly. */
  get query() { return this._app ? this._app.query() : ''; }
  play() {
    if (this._app?.diverged()) return;
    this._playing = true;
    this._syncChrome();
    this._requestFrame();
  }
  pause() {
    this._playing = false;
    this._syncChrome();
    this._invalidate(); // every panel and the readout show exactly where training stopped
  }
  reset() {
    if (!this._app) return;
    this._app.reset();
    this._showDivergence(false);
    this._changed(false);
  }
  /** Train n steps now (paused or not) and redraw; returns the steps actually taken. */
  advance(n = 1) {
    if (!this._app) return 0;
    const taken = this._app.step(n);
    this._checkDivergence();
    this._invalidate();
    return taken;
  }

  // ---- lifecycle ---------------------------------------------------------------------------
  connectedCallback() {
    this._intersection = new IntersectionObserver((entries) => {
      this._onScreen = entries.at(-1).isIntersecting;
      this._invalidate();
    });
    this._intersection.observe(this);
    document.addEventListener('visibilitychange', this._onVisibility);
    this._keyTarget = this._globalKeys() ? document : this;
    this._keyTarget.addEventListener('keydown', this._onKey);
    this._colorScheme = matchMedia('(prefers-color-scheme: dark)');
    this._colorScheme.onchange = () => this._applyTheme();
    this._resize = new ResizeObserver((entries) => this._onResize(entries));
    for (const { canvas } of this._canvases.values()) this._resize.observe(canvas);
    if (!this._started) {
      this._started = true;
      this._start();
    } else {
      this._requestFrame();
    }
  }

  disconnectedCallback() {
    this._intersection?.disconnect();
    this._resize?.disconnect();
    document.removeEventListener('visibilitychange', this._onVisibility);
    this._keyTarget?.removeEventListener('keydown', this._onKey);
    if (this._colorScheme) this._colorScheme.onchange = null;
    cancelAnimationFrame(this._raf);
    this._raf = 0;
  }

  attributeChangedCallback(name, old, value) {
    if (!this._app || old === value || name === 'url-state' || name === 'keyboard') return;
    if (name in CONTROL_KINDS) {
      const fallback = this._keys.find((k) => k.name === name)?.default;
      const message = this._set(name, value != null && isWidth(name, value) ? value : fallback);
      if (message) this._notice(`The attribute ${name}="${value}" was not applied: ${message}`, { error: true });
    } else if (name === 'speed') {
      this._setSpeed(this._parseSpeed(value));
    } else if (name === 'theme') {
      this._applyTheme();
    } else if (name === 'autoplay') {
      if (value !== null && !reducedMotion()) this.play();
    } else {
      this._render(); // controls, panels, height
    }
  }

  async _start() {
    let engine;
    try {
      engine = await loadEngine();
    } catch (err) {
      this._root.replaceChildren(h('p', { class: 'notice error', role: 'alert' },
        `The demo could not start: its WebAssembly module failed to load (${messageOf(err)}).`));
      return;
    }
    this._keys = engine.keys;
    const fromUrl = this.hasAttribute('url-state') ? splitQuery(location.search) : { engine: '', ui: {} };
    this._urlUi = fromUrl.ui;
    const fromAttributes = Object.keys(CONTROL_KINDS)
      .filter((k) => this.hasAttribute(k) && isWidth(k, this.getAttribute(k)))
      .map((k) => `${k}=${encodeURIComponent(this.getAttribute(k))}`);
    // Later pairs win: the address overrides the page author's attributes.
    this._app = new engine.App([...fromAttributes, fromUrl.engine].filter(Boolean).join('&'));
    this._speed = this._parseSpeed(this._option('speed'));
    this._render();
    const notices = JSON.parse(this._app.notices_json());
    if (notices.length) {
      const where = this.hasAttribute('url-state') ? 'The address' : 'This demo’s attributes';
      this._notice(`${where} had settings that could not be used, so their defaults are used instead:`,
        { items: notices.map((n) => n.message) });
      for (const n of notices) if (n.key) this._settings?.flag(n.key, n.message);
    }
    const autoplay = this._option('autoplay');
    if (autoplay != null && autoplay !== 'false' && autoplay !== '0' && !reducedMotion()) this.play();
    this._writeUrl();
    this._resolveReady();
  }

  /** A view option: from the address (url-state pages) or else the attribute. */
  _option(name) { return this._urlUi[name] ?? this.getAttribute(name); }
  _globalKeys() { return this.hasAttribute('url-state') || this.getAttribute('keyboard') === 'global'; }

  // ---- DOM ---------------------------------------------------------------------------------
  /** (Re)build the chrome and the panels from the current view options. */
  _render() {
    const controls = this._option('controls') ?? 'minimal';
    const actions = {
      toggle: () => (this._playing ? this.pause() : this.play()),
      step: () => { this.pause(); this.advance(1); },
      reset: () => this.reset(),
      setSpeed: (speed) => this._setSpeed(speed),
      set: (key, value) => {
        const message = this._set(key, value);
        if (message) this._notice(message, { error: true });
      },
    };
    this._toolbar = controls === 'none' ? null : buildToolbar(controls === 'full', actions);
    this._settings = controls === 'full' ? buildSettings(this._keys, (k, v) => this._set(k, v)) : null;
    const panels = h('div', { class: 'panels' });
    this._resize?.disconnect();
    this._canvases.clear();
    for (const chart of this._panelList()) {
      const spec = PANELS[chart];
      const canvas = h('canvas', { role: 'img', 'data-chart': chart, 'aria-label': spec.title });
      const projection = h('span', { class: 'note projection' });
      panels.append(h('figure', { class: `panel${spec.wide ? ' wide' : ''}`, 'data-panel': chart },
        h('figcaption', {},
          h('span', { class: 'title' }, spec.swatch ? h('span', { class: `swatch ${spec.swatch}`, 'aria-hidden': 'true' }) : null, spec.title),
          h('span', { class: 'note' }, spec.note), projection),
        canvas));
      this._canvases.set(chart, { canvas, projection, drawnAt: -Infinity });
      this._resize?.observe(canvas);
    }
    const height = this._option('height');
    this._root.style.setProperty('--panel-height', height ? (/^\d+(\.\d+)?$/.test(height) ? `${height}px` : height) : 'auto');
    this._root.replaceChildren(
      this._notices, this._divergence, this._toolbar?.element ?? '', this._readout, this._liveReadout,
      h('div', { class: `layout${this._settings ? ' with-settings' : ''}` }, panels, this._settings?.element ?? ''));
    this._applyTheme();
    this._changed(false);
  }

  _panelList() {
    const wanted = (this._option('panels') ?? Object.keys(PANELS).join(','))
      .split(',').map((p) => p.trim()).filter((p) => p in PANELS);
    return wanted.length ? wanted : Object.keys(PANELS);
  }

  _applyTheme() {
    const theme = this._option('theme');
    this._theme = ['light', 'dark', 'contrast'].includes(theme) ? theme : (this._colorScheme?.matches ? 'dark' : 'light');
    this._root.dataset.theme = this._theme;
    this._invalidate();
  }

  /** A dismissible notice (role="alert"); `items` become a list under the message. */
  _notice(message, { items = [], error = false } = {}) {
    const body = h('div', { class: 'body' }, h('span', {}, message));
    if (items.length) body.append(h('ul', {}, ...items.map((i) => h('li', {}, i))));
    const notice = h('div', { class: `notice${error ? ' error' : ''}`, role: 'alert' }, body);
    notice.append(h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss this notice', onclick: () => notice.remove() }, '×'));
    this._notices.append(notice);
    return notice;
  }

  _checkDivergence() {
    if (!this._app.diverged()) return;
    this.pause();
    this._showDivergence(true);
  }

  _showDivergence(show) {
    if (!show) return this._divergence.replaceChildren();
    if (this._divergence.childElementCount) return;
    const lr = Number(this._app.get('lr'));
    // A tenth of the rate, but never above the default: lr = 100000 should suggest a rate that trains.
    const usual = Number(this._keys.find((k) => k.name === 'lr')?.default ?? lr);
    const lower = Number(Math.min(lr / 10, usual).toPrecision(2));
    const notice = h('div', { class: 'notice error divergence', role: 'alert' }, h('div', { class: 'body' },
      h('strong', {}, `Training diverged at step ${this._app.step_count()}`),
      ` — the loss overflowed (NaN or infinity), so training is paused. The learning rate lr = ${lr} is too large: lower it and press Reset.`,
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => this._set('lr', String(lower)) || this.reset() }, `Use lr = ${lower} and reset`),
        h('button', { type: 'button', onclick: () => this.reset() }, 'Reset'))));
    this._divergence.replaceChildren(notice);
  }

  // ---- state changes -----------------------------------------------------------------------
  /** Apply one setting; returns an error message, or null when it took effect. */
  _set(key, value) {
    let effect;
    try {
      effect = this._app.set(key, value);
    } catch (err) {
      return messageOf(err);
    }
    if (effect === 'reset') this._showDivergence(false);
    this._changed(true);
    return null;
  }

  _setSpeed(speed) {
    this._speed = speed;
    if (this.hasAttribute('url-state')) this._urlUi.speed = speed === DEFAULT_SPEED ? undefined : String(speed);
    this._syncChrome();
    this._writeUrl();
  }

  _parseSpeed(text) {
    if (text === 'slow') return 'slow';
    const n = Math.round(Number(text));
    return Number.isFinite(n) && n >= 1 ? Math.min(MAX_SPEED, n) : DEFAULT_SPEED;
  }

  /** After any change of settings or step: controls, picture and (maybe) the address. */
  _changed(writeUrl) {
    this._syncChrome();
    this._invalidate();
    if (writeUrl) this._writeUrl();
  }

  _syncChrome() {
    if (!this._app) return;
    this._toolbar?.sync({ playing: this._playing, speed: this._speed, seed: this._app.get('seed') });
    this._settings?.sync((k) => this._app.get(k), JSON.parse(this._app.variances_json()));
  }

  _writeUrl() {
    if (!this.hasAttribute('url-state') || !this._app) return;
    this._urlWriter ??= createUrlWriter();
    this._urlWriter([this._app.query(), uiQuery(this._urlUi)].filter(Boolean).join('&'));
  }

  // ---- animation ---------------------------------------------------------------------------
  _running() {
    return this._playing && this._onScreen && !document.hidden && this.isConnected;
  }

  _requestFrame() {
    if (!this._raf && this.isConnected) this._raf = requestAnimationFrame(this._tick);
  }

  _invalidate() {
    this._dirty = true;
    this._requestFrame();
  }

  _tick() {
    this._raf = 0;
    if (!this._app) return;
    let trained = false;
    if (this._running()) {
      const n = this._speed === 'slow' ? Number(++this._slowFrame % SLOW_FRAMES === 0) : this._speed;
      if (n) {
        this._app.step(n);
        trained = true;
        this._checkDivergence();
      }
      this._requestFrame();
    }
    if (!this._onScreen || document.hidden) return;
    if (this._dirty) this._draw(true);
    else if (trained) this._draw(false);
  }

  _onResize(entries) {
    for (const entry of entries) {
      const canvas = entry.target;
      const box = entry.devicePixelContentBoxSize?.[0];
      const width = box ? box.inlineSize : Math.round(entry.contentRect.width * devicePixelRatio);
      const height = box ? box.blockSize : Math.round(entry.contentRect.height * devicePixelRatio);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
    }
    // Draw now, before the browser paints the cleared canvases.
    if (this._app) this._draw(true);
  }

  /**
   * Redraw the panels. After a change (`all`) every panel is drawn; while training, each at
   * its own pace (REDRAW_INTERVAL): the rotating weights every frame, the rest less often.
   */
  _draw(all) {
    if (all) this._dirty = false;
    const now = performance.now();
    const dim = Number(this._app.get('dim'));
    for (const [chart, panel] of this._canvases) {
      const { canvas, projection } = panel;
      if (!canvas.width || !canvas.height) continue;
      if (!all && now - panel.drawnAt < REDRAW_INTERVAL[chart]) continue;
      panel.drawnAt = now;
      try {
        this._app.draw(chart, canvas, canvas.width / canvas.clientWidth || devicePixelRatio, this._theme);
      } catch (err) {
        this._reportDrawError(chart, err);
      }
      if (all && (chart === 'data' || chart === 'weights')) {
        projection.textContent = dim > 2 ? `(d = ${dim}: projected onto data directions ${this._app.get('proj').replace(',', ' and ')})` : '';
      }
    }
    this._report();
  }

  /**
   * The numbers, at most every EVENT_INTERVAL: readout and covalign-snapshot event; and every
   * READOUT_INTERVAL for screen readers (live readout, chart descriptions). A timer makes sure
   * the state that ends a burst of changes is reported too.
   */
  _report() {
    const now = performance.now();
    const sinceReport = now - this._lastReport;
    if (sinceReport < EVENT_INTERVAL) return this._reportLater(EVENT_INTERVAL - sinceReport);
    this._lastReport = now;
    const snapshot = JSON.parse(this._app.snapshot_json());
    const text = readoutText(snapshot);
    this._readout.textContent = text;
    this.dispatchEvent(new CustomEvent('covalign-snapshot', { detail: snapshot, bubbles: true, composed: true }));
    const sinceAnnounce = now - this._lastAnnounce;
    if (sinceAnnounce < READOUT_INTERVAL) return this._reportLater(READOUT_INTERVAL - sinceAnnounce);
    this._lastAnnounce = now;
    if (this._liveReadout.textContent !== text) this._liveReadout.textContent = text;
    for (const [chart, { canvas }] of this._canvases) canvas.setAttribute('aria-label', this._app.describe(chart));
  }

  _reportLater(ms) {
    this._reportTimer ||= setTimeout(() => {
      this._reportTimer = 0;
      if (this._app) this._report();
    }, ms);
  }

  _reportDrawError(chart, err) {
    const message = `The ${chart} chart could not be drawn: ${messageOf(err)}`;
    if (this._drawErrors.has(message)) return;
    this._drawErrors.add(message);
    this._notice(message, { error: true });
  }

  // ---- keyboard ----------------------------------------------------------------------------
  _onKey(event) {
    if (!this._app || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    const path = event.composedPath();
    // A page-wide listener leaves keys typed inside other demos to them.
    if (path.some((n) => n !== this && n.localName === 'covalign-demo')) return;
    const target = path[0];
    const tag = target?.localName;
    const editing = ['input', 'select', 'textarea'].includes(tag) || target?.isContentEditable || target?.getAttribute?.('role') === 'slider';
    if (editing) return;
    if (event.key === ' ') {
      if (tag === 'button' || tag === 'summary' || tag === 'a') return; // space activates those
      this._playing ? this.pause() : this.play();
    } else if (event.key === 'ArrowRight') {
      this.pause();
      this.advance(1);
    } else if (event.key === 'r' || event.key === 'R') {
      this.reset();
    } else {
      return;
    }
    event.preventDefault();
  }
}

if (!customElements.get('covalign-demo')) customElements.define('covalign-demo', CovalignDemo);
