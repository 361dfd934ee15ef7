// The chart panels: which charts exist, how each is captioned, and the figure around its canvas.
// The engine draws every chart; this file only lays out the canvases it draws on.
import { h } from './controls.js';

/** Every chart the element can show, by the engine's chart names (`panels="…"`). */
export const PANELS = {
  data: { title: 'Data', swatch: 'data', note: 'points x, their covariance Σx and its axes' },
  weights: { title: 'First-layer weights', swatch: 'weights', note: 'one point per neuron, their covariance Σw and its axes' },
  curves: { title: 'Over training', wide: true, note: 'misalignment M on the data basis vs a random basis; alignment; loss' },
  overlap: { title: 'Overlap of eigenvectors', note: '(vᵢ·uⱼ)²: a permutation matrix means aligned' },
  eigenmap: { title: 'Eigenvalue map f(σ)', note: 'spread of the weights along each data axis' },
  // The three curves of `curves` one at a time, for narrow embeds; not shown by default.
  misalignment: { title: 'Misalignment', short: true, note: 'M on the data basis vs a random basis: alignment is the gap' },
  alignment: { title: 'Alignment share', short: true, note: 'share of Σw’s anisotropy aligned with Σx' },
  training: { title: 'Loss and accuracy', short: true, note: 'on labels that mean nothing' },
};
export const DEFAULT_PANELS = ['data', 'weights', 'curves', 'overlap', 'eigenmap'];

/** While training, ms between redraws of each panel; any change of settings redraws them all. */
export const REDRAW_INTERVAL = { data: 500, weights: 0, curves: 100, overlap: 100, eigenmap: 100, misalignment: 100, alignment: 100, training: 100 };

/** CSS size of a chart exported while it is not on screen (e.g. `el.exportPNG('overlap')`). */
export const EXPORT_SIZE = (chart) => (PANELS[chart]?.wide ? [1200, 500] : PANELS[chart]?.short ? [640, 480] : [600, 600]);

/** `panels="data, weights"` -> ['data', 'weights']; unknown names are skipped. */
export function parsePanels(text) {
  const wanted = (text ?? '').split(',').map((p) => p.trim()).filter((p) => p in PANELS);
  return wanted.length ? wanted : DEFAULT_PANELS;
}

/**
 * The figures for `charts`; returns {element, canvases} where canvases maps a chart to
 * {canvas, projection, drawnAt}. A canvas is an image whose name is refreshed from the
 * engine's description of what it shows now.
 */
export function buildPanels(charts) {
  const element = h('div', { class: 'panels' });
  const canvases = new Map();
  for (const chart of charts) {
    const spec = PANELS[chart];
    const canvas = h('canvas', { role: 'img', 'data-chart': chart, 'aria-label': spec.title });
    const projection = h('span', { class: 'note projection' });
    const kind = spec.wide ? ' wide' : spec.short ? ' short' : '';
    element.append(h('figure', { class: `panel${kind}`, 'data-panel': chart },
      h('figcaption', {},
        h('span', { class: 'title' }, spec.swatch ? h('span', { class: `swatch ${spec.swatch}`, 'aria-hidden': 'true' }) : null, spec.title),
        h('span', { class: 'note' }, spec.note), projection),
      canvas));
    canvases.set(chart, { canvas, projection, drawnAt: -Infinity });
  }
  return { element, canvases };
}
