// The page's state in its address: config keys for the engine, plus a few view-only
// parameters (speed, autoplay, theme, story, ...) that the engine must never see.

/** Parameters that belong to the element's view, not to the experiment. */
export const UI_PARAMS = ['speed', 'autoplay', 'until', 'theme', 'panels', 'controls', 'height', 'embed', 'story', 'at'];

/**
 * Split a query string into the engine's part (raw pairs, order and encoding kept, so the
 * engine's lenient parser sees exactly what was typed) and the view's part (decoded).
 */
export function splitQuery(search) {
  const engine = [];
  const ui = {};
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (UI_PARAMS.includes(name)) ui[name] = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    else engine.push(pair);
  }
  return { engine: engine.join('&'), ui };
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Writes `?query` with history.replaceState, at most every `interval` ms (the last call
 * always lands): dragging a slider must not flood the history API, which browsers throttle.
 */
export function createUrlWriter(interval = 300) {
  let pending = null;
  let timer = 0;
  let last = 0;
  const urlOf = (query) => {
    const url = new URL(location.href);
    url.search = query ? `?${query}` : '';
    return url;
  };
  const flush = () => {
    timer = 0;
    last = performance.now();
    const url = urlOf(pending);
    if (url.href !== location.href) history.replaceState(history.state, '', url);
  };
  const write = (query) => {
    pending = query;
    if (timer) return;
    const wait = Math.max(0, interval - (performance.now() - last));
    timer = setTimeout(flush, wait);
  };
  /**
   * A new history entry now (a story chapter): Back returns to the previous one. A change
   * still waiting for its replaceState lands in the entry it belongs to first. Inside an
   * iframe (a blog's embed) the entry would land in the host page's history: replace instead.
   */
  write.push = (query) => {
    if (timer) {
      clearTimeout(timer);
      flush();
    }
    pending = query;
    const url = urlOf(query);
    if (url.href === location.href) return;
    if (window.parent !== window) history.replaceState(history.state, '', url);
    else history.pushState(history.state, '', url);
  };
  return write;
}

/** The view parameters as a query string (null values are left out). */
export function uiQuery(ui) {
  return Object.entries(ui)
    .filter(([, v]) => v != null)
    .map(([k, v]) => (v === '' ? k : `${k}=${encodeURIComponent(v)}`))
    .join('&');
}
