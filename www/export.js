// Export: each chart as PNG (drawn again by the engine on a canvas of its own, at 2× for
// print), the metric history as CSV and the current state (Σx, Σw, eigenvectors, metrics) as
// JSON. Nothing leaves the browser: downloads are object URLs behind an <a download>.
import { h } from './controls.js';
import { EXPORT_SIZE, PANELS } from './panels.js';

/**
 * A PNG of `chart` at `scale` device pixels per CSS pixel, `width` × `height` CSS pixels, as a
 * Blob. Drawn off screen, so exporting never disturbs the panel being watched. Synchronous on
 * purpose (toDataURL, not toBlob): the download then starts inside the click that asked for it,
 * and the browser does not mistake a row of exports for a page pushing unrequested downloads.
 */
export function chartPNG(app, chart, { width, height, scale = 2, theme = 'light' }) {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  app.draw(chart, canvas, scale, theme);
  const base64 = canvas.toDataURL('image/png').split(',')[1];
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: 'image/png' });
}

/** The CSS size a chart is exported at: as it is on screen, or a default when not shown. */
export function exportSize(canvas, chart) {
  if (canvas?.clientWidth && canvas?.clientHeight) return [canvas.clientWidth, canvas.clientHeight];
  return EXPORT_SIZE(chart);
}

/** Offers `content` (a Blob or text) as a file download. */
export function saveFile(content, name, type, parent = document.body) {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name, hidden: true });
  parent.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; the URL is no longer needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * The export menu (full controls): a disclosure whose buttons download one file each.
 * charts = the charts shown now; download(kind, chart) does the work.
 */
export function buildExportMenu(charts, download) {
  const item = (label, kind, chart) => h('button', { type: 'button', 'data-export': chart ?? kind, onclick: () => download(kind, chart) }, label);
  const menu = h('details', { class: 'export group' },
    h('summary', { title: 'Download the charts and the numbers' }, 'Export'),
    h('div', { class: 'export-menu', role: 'group', 'aria-label': 'Export' },
      h('p', {}, 'Charts as PNG (2×, for print)'),
      ...charts.map((chart) => item(PANELS[chart].title, 'png', chart)),
      h('p', {}, 'Numbers'),
      item('Metric history (CSV)', 'csv'),
      item('Σx, Σw, eigenvectors, metrics (JSON)', 'json')));
  // Escape closes the menu and gives the focus back to its summary.
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !menu.open) return;
    menu.open = false;
    menu.querySelector('summary').focus();
    event.preventDefault();
    event.stopPropagation();
  });
  return menu;
}

/** The element's export API (installed on <covalign-demo> by covalign.js). */
export class ExportMethods {
  /** A chart as a PNG Blob (in a Promise), drawn afresh at `scale` (2 = print quality) in `theme`. */
  async exportPNG(chart = 'weights', options = {}) { return this._chartPNG(chart, options); }

  _chartPNG(chart, { scale = 2, theme = this._theme } = {}) {
    const [width, height] = exportSize(this._painter.canvases.get(chart)?.canvas, chart);
    return chartPNG(this._app, chart, { width, height, scale, theme });
  }

  /** The metric history, one row per recorded step: step,loss,accuracy,misalignment,… */
  exportCSV() { return this._app.history_csv(); }

  /** Σx, Σw, their eigenvectors, the settings and the current metrics, as JSON text. */
  exportJSON() { return this._app.export_json(); }

  /** Downloads one export ('png' with a chart, 'csv' or 'json'); returns the file name. */
  download(kind, chart = 'weights') {
    const step = this._app.step_count();
    const [name, content, type] = kind === 'png' ? [`covalign-${chart}-step${step}.png`, this._chartPNG(chart), 'image/png']
      : kind === 'csv' ? ['covalign-history.csv', this.exportCSV(), 'text/csv']
        : [`covalign-state-step${step}.json`, this.exportJSON(), 'application/json'];
    saveFile(content, name, type, this.shadowRoot);
    return name;
  }
}
