// The painter: draws the panels through the engine and reports the numbers (the readout, the
// covalign-snapshot event, the screen-reader readout and each chart's text alternative).
import { REDRAW_INTERVAL, buildPanels } from './panels.js';

const EVENT_INTERVAL = 250; // ms between snapshots: readout and covalign-snapshot events
const READOUT_INTERVAL = 1000; // ms between chart descriptions and, when paused, readouts
// While training plays, a screen reader hears the readout this rarely: a queue of numbers
// every second (and five demos on a blog page) would never let it say anything else.
const PLAYING_ANNOUNCE_INTERVAL = 10000;

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

export class Painter {
  /** host: the element (events go there); readout, liveReadout: <p>s; onError(chart, err). */
  constructor({ host, readout, liveReadout, onError }) {
    Object.assign(this, { host, readout, liveReadout, onError });
    this.canvases = new Map(); // chart -> {canvas, projection, drawnAt}
    this.lastReport = -Infinity;
    this.lastAnnounce = -Infinity;
    this.lastDescribe = -Infinity;
    this.reportTimer = 0;
    this.app = null;
  }

  /** New panels for `charts`; returns their container. */
  build(charts) {
    const panels = buildPanels(charts);
    this.canvases = panels.canvases;
    return panels.element;
  }

  /** Matches each canvas's pixels to its size on screen; true when one changed. */
  resize(entries) {
    let changed = false;
    for (const entry of entries) {
      const canvas = entry.target;
      // The device-pixel box is exact on a real screen, but emulated zoom (DevTools' device
      // mode) leaves it at 1×: trust it only when it agrees with the CSS size × ratio.
      const box = entry.devicePixelContentBoxSize?.[0];
      const width = Math.round(entry.contentRect.width * devicePixelRatio);
      const height = Math.round(entry.contentRect.height * devicePixelRatio);
      const exact = box && Math.abs(box.inlineSize - width) <= 2 && Math.abs(box.blockSize - height) <= 2;
      const [w, h] = exact ? [box.inlineSize, box.blockSize] : [width, height];
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Redraw the panels. After a change (`all`) every panel is drawn; while training, each at
   * its own pace (REDRAW_INTERVAL): the rotating weights every frame, the rest less often.
   * `enlarge` scales type and lines (lecture mode), `theme` is the engine's theme name.
   */
  draw(app, { all, theme, enlarge = 1 }) {
    this.app = app;
    const now = performance.now();
    const dim = Number(app.get('dim'));
    for (const [chart, panel] of this.canvases) {
      const { canvas, projection } = panel;
      if (!canvas.width || !canvas.height) continue;
      if (!all && now - panel.drawnAt < REDRAW_INTERVAL[chart]) continue;
      panel.drawnAt = now;
      try {
        app.draw(chart, canvas, (canvas.width / canvas.clientWidth || devicePixelRatio) * enlarge, theme);
      } catch (err) {
        this.onError(chart, err);
      }
      if (all && (chart === 'data' || chart === 'weights')) {
        projection.textContent = dim > 2 ? `(d = ${dim}: projected onto data directions ${app.get('proj').replace(',', ' and ')})` : '';
      }
    }
    this.report();
  }

  /**
   * The numbers, at most every EVENT_INTERVAL: readout and covalign-snapshot event; and every
   * READOUT_INTERVAL for screen readers (live readout, chart descriptions). A timer makes sure
   * the state that ends a burst of changes is reported too.
   */
  report() {
    const app = this.app;
    if (!app) return;
    const now = performance.now();
    const sinceReport = now - this.lastReport;
    if (sinceReport < EVENT_INTERVAL) return this.reportLater(EVENT_INTERVAL - sinceReport);
    this.lastReport = now;
    const snapshot = JSON.parse(app.snapshot_json());
    const text = readoutText(snapshot);
    this.readout.textContent = text;
    this.host.dispatchEvent(new CustomEvent('covalign-snapshot', { detail: snapshot, bubbles: true, composed: true }));
    const sinceDescribe = now - this.lastDescribe;
    if (sinceDescribe < READOUT_INTERVAL) return this.reportLater(READOUT_INTERVAL - sinceDescribe);
    this.lastDescribe = now;
    for (const [chart, { canvas }] of this.canvases) canvas.setAttribute('aria-label', app.describe(chart));
    const sinceAnnounce = now - this.lastAnnounce;
    const interval = this.host.playing ? PLAYING_ANNOUNCE_INTERVAL : READOUT_INTERVAL;
    if (sinceAnnounce < interval) return this.reportLater(Math.min(interval - sinceAnnounce, READOUT_INTERVAL));
    this.lastAnnounce = now;
    if (this.liveReadout.textContent !== text) this.liveReadout.textContent = text;
  }

  reportLater(ms) {
    this.reportTimer ||= setTimeout(() => {
      this.reportTimer = 0;
      this.report();
    }, ms);
  }

  /** The engine object is about to be freed (a story chapter replaces it). */
  forget() { this.app = null; }
}
