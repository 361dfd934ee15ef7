// The element's styles, inside its shadow root: the host page cannot break them and they
// cannot leak out. Colours: data is always blue, weights always vermillion (Okabe-Ito); the
// dark and contrast themes use the same hues as the charts drawn by the engine.
export const CSS = `
:host {
  display: block;
  container-type: inline-size;
  --panel-height: auto;
  margin: 1em 0;
}
/* hidden="256" is the hidden-layer width here, not HTML's hidden. display: block above beats
   the browser's [hidden] rule, but not a host page's CSS reset ([hidden] { display: none },
   often !important): an !important rule of the shadow root's beats the page's, even theirs. */
:host([hidden]) { display: block !important; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }

/* Type is set here, not on :host: a host page's rule for the element (font: 40px serif, or
   * { all: unset }) beats :host, but cannot reach inside the shadow root. */
.root {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --type-scale: 1; /* the contrast theme's type is larger */
  font-size: calc(var(--type-scale) * clamp(16px, 0.45vw + 11px, 22px));
  font-style: normal;
  font-weight: 400;
  letter-spacing: normal;
  line-height: 1.45;
  text-align: start;
  text-transform: none;
  --bg: #f7f6f2; --surface: #ffffff; --ink: #1f2933; --muted: #5b6472; --line: #d8dbe0;
  --button: #eef0f3; --button-hover: #e2e6eb; --primary: #27394f; --primary-ink: #ffffff;
  --data: #0072B2; --weights: #D55E00; --focus: #0a64c8; --warn-bg: #fff4e5; --warn-line: #c77700;
  --error-bg: #fdecea; --error-line: #b3261e;
  background: var(--bg); color: var(--ink);
  padding: 0.75em; border-radius: 10px; outline: none;
}
.root[data-theme="dark"] {
  --bg: #10141a; --surface: #161b22; --ink: #e6e9ee; --muted: #a3acb8; --line: #323b47;
  --button: #222a35; --button-hover: #2c3644; --primary: #c9d6e6; --primary-ink: #10141a;
  --data: #56b4e9; --weights: #f07a3a; --focus: #7cb8ff; --warn-bg: #3a2a10; --warn-line: #e0a040;
  --error-bg: #3b1714; --error-line: #ff8a80;
}
.root[data-theme="contrast"] {
  --bg: #000; --surface: #000; --ink: #fff; --muted: #e0e0e0; --line: #fff;
  --button: #000; --button-hover: #222; --primary: #ffd400; --primary-ink: #000;
  --data: #56b4e9; --weights: #ff8c42; --focus: #ffd400; --warn-bg: #000; --warn-line: #ffd400;
  --error-bg: #000; --error-line: #ff6b6b;
  --type-scale: 1.2;
}

button, input, select { font: inherit; color: inherit; }
button {
  background: var(--button); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.3em 0.8em; cursor: pointer; min-height: 2.2em;
}
button:hover { background: var(--button-hover); }
button.primary { background: var(--primary); color: var(--primary-ink); border-color: var(--primary); min-width: 5.5em; font-weight: 600; }
input[type="number"], input[type="text"], select {
  background: var(--surface); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.25em 0.45em; min-height: 2.2em; width: 100%; min-width: 0;
}
input[type="range"] { accent-color: var(--primary); min-width: 0; }
input:disabled, select:disabled, button:disabled, button[aria-disabled="true"] { opacity: 0.55; cursor: not-allowed; }
input[aria-invalid="true"] { border-color: var(--error-line); box-shadow: 0 0 0 1px var(--error-line); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; color: var(--muted); }

.status { display: flex; flex-direction: column; gap: 0.5em; }
.loading { color: var(--muted); padding: 2em 0; text-align: center; }

/* Transport bar */
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 0.7em; margin-bottom: 0.5em; }
.toolbar .group { display: flex; align-items: center; gap: 0.4em; }
.toolbar .speed input { width: 6.5em; }
.toolbar .speed-value { min-width: 4.9em; font-variant-numeric: tabular-nums; color: var(--muted); }
.toolbar .seed { width: 6em; }
/* Theme, fullscreen, help and export sit at the toolbar's right end, on whichever row. */
.toolbar .view { margin-inline-start: auto; flex-wrap: wrap; }
.help-button { min-width: 2.2em; padding: 0.3em 0.55em; font-weight: 700; }
.export { position: relative; }
.export summary {
  list-style: none; cursor: pointer; background: var(--button); border: 1px solid var(--line);
  border-radius: 6px; padding: 0.3em 0.8em; min-height: 2.2em; display: flex; align-items: center;
}
.export summary::-webkit-details-marker { display: none; }
.export summary::after { content: "▾"; margin-inline-start: 0.4em; }
.export[open] summary::after { content: "▴"; }
.export summary:hover { background: var(--button-hover); }
.export-menu {
  position: absolute; right: 0; top: calc(100% + 0.3em); z-index: 5; width: max-content; max-width: 20em;
  background: var(--surface); border: 1px solid var(--line); border-radius: 8px; padding: 0.5em 0.6em 0.6em;
  display: flex; flex-direction: column; gap: 0.3em; box-shadow: 0 4px 18px rgb(0 0 0 / 0.2);
}
.export-menu p { margin: 0.3em 0 0; font-size: 0.8em; color: var(--muted); }
.export-menu button { text-align: start; }

/* The guided story's chapter bar */
.story {
  background: var(--surface); border: 1px solid var(--line); border-inline-start: 5px solid var(--data);
  border-radius: 8px; padding: 0.55em 0.9em 0.75em; margin-bottom: 0.75em;
}
.story-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em 0.8em; color: var(--muted); font-size: 0.9em; }
.story .kicker { font-weight: 700; color: var(--ink); text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.85em; }
.story .index-label { margin-inline-start: auto; min-width: 0; max-width: 100%; }
.story .chapter-index { width: auto; max-width: 100%; color: var(--ink); }
.story h2 { font-size: 1.3em; line-height: 1.25; margin: 0.3em 0 0.2em; }
.story .text { margin: 0 0 0.65em; max-width: 62em; }
.story-nav { display: flex; flex-wrap: wrap; gap: 0.5em; }
.story-nav .leave { margin-inline-start: auto; }

/* Keyboard help */
dialog.help {
  background: var(--surface); color: var(--ink); border: 2px solid var(--line); border-radius: 10px;
  padding: 1em 1.25em; width: min(36em, 92vw); max-height: 90vh; overflow: auto;
}
dialog.help::backdrop { background: rgb(0 0 0 / 0.6); }
dialog.help h2 { margin: 0 0 0.5em; font-size: 1.25em; }
dialog.help table { border-collapse: collapse; width: 100%; }
dialog.help th { text-align: start; font-weight: normal; white-space: nowrap; vertical-align: top; padding: 0.3em 1em 0.3em 0; }
dialog.help td { padding: 0.3em 0; }
dialog.help tr + tr > * { border-top: 1px solid var(--line); }
dialog.help .note { color: var(--muted); font-size: 0.9em; }
dialog.help .actions { display: flex; justify-content: flex-end; }
kbd {
  font: 0.9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--bg);
  border: 1px solid var(--muted); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.35em;
}

/* Lecture mode: the element fills the screen, with larger type (the charts scale too), and
   the panels sized so that data, weights and curves fit on one 16:9 screen; the settings
   stay at hand in a narrower column with smaller type. */
:host(:fullscreen) { overflow: auto; background: #000; }
:host(:fullscreen) .root { min-height: 100%; border-radius: 0; padding: 0.6em 1em; font-size: calc(var(--type-scale) * clamp(18px, 0.7vw + 9.5px, 34px)); }
:host(:fullscreen) .panel figcaption .note:not(.projection) { display: none; }
:host(:fullscreen) canvas { max-height: 36vh; }
:host(:fullscreen) .panel.wide canvas { max-height: 27vh; }
:host(:fullscreen) .settings { font-size: 0.75em; }
@container (min-width: 1050px) {
  :host(:fullscreen) .layout.with-settings { grid-template-columns: minmax(0, 1fr) 16em; }
}

@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after, ::backdrop { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}

.readout {
  margin: 0 0 0.6em; font-variant-numeric: tabular-nums; min-height: 1.45em;
  overflow-wrap: anywhere;
}
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

/* Notices */
.notice {
  display: flex; align-items: flex-start; gap: 0.75em; padding: 0.6em 0.8em; margin-bottom: 0.6em;
  border-left: 4px solid var(--warn-line); background: var(--warn-bg); border-radius: 6px;
}
.notice.error { border-left-color: var(--error-line); background: var(--error-bg); }
.notice .body { flex: 1; min-width: 0; overflow-wrap: anywhere; }
.notice ul { margin: 0.3em 0 0; padding-left: 1.2em; }
.notice .actions { display: flex; flex-wrap: wrap; gap: 0.5em; margin-top: 0.5em; }
.notice .dismiss { min-width: 2.2em; padding: 0.2em 0.5em; }

/* Layout: panels, then settings (beside them on wide containers) */
.layout { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1em; align-items: start; }
@container (min-width: 1050px) {
  .layout.with-settings { grid-template-columns: minmax(0, 1fr) 21em; }
}
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.75em; }
@container (max-width: 600px) { .panels { grid-template-columns: minmax(0, 1fr); } }
.panel {
  margin: 0; min-width: 0; background: var(--surface); border: 1px solid var(--line);
  border-radius: 8px; padding: 0.4em 0.5em 0.5em; display: flex; flex-direction: column;
}
.panel.wide { grid-column: 1 / -1; }
.panel figcaption { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 0.6em; margin-bottom: 0.3em; }
.panel .title { font-weight: 600; }
.panel .note { color: var(--muted); font-size: 0.85em; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; margin-right: 0.35em; vertical-align: -0.05em; }
.swatch.data { background: var(--data); }
.swatch.weights { background: var(--weights); }
/* margin-top: auto keeps canvases of one row aligned when their captions wrap differently. */
canvas { display: block; width: 100%; aspect-ratio: 1; height: var(--panel-height); margin-top: auto; }
.panel.wide canvas { aspect-ratio: 2.4; }
.panel.short canvas { aspect-ratio: 4 / 3; }
/* Narrow: the engine stacks the three curve charts, so the canvas must be tall. */
@container (max-width: 600px) {
  .panel.wide canvas { aspect-ratio: 0.6; }
  .panel.short canvas { aspect-ratio: 1; }
  .root { padding: 0.5em 0.25em; }
  .panel { padding: 0.35em 0.3em 0.3em; }
}

/* Settings */
.settings { display: flex; flex-direction: column; gap: 0.75em; min-width: 0; }
@container (min-width: 600px) and (max-width: 1049px) {
  .settings { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); align-items: start; }
}
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 0.5em 0.75em 0.75em; margin: 0; min-width: 0; background: var(--surface); }
legend { font-weight: 600; padding: 0 0.3em; }
.fields { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.55em 0.75em; align-items: end; }
.field { min-width: 0; display: flex; flex-direction: column; justify-content: flex-end; }
.field.wide { grid-column: 1 / -1; }
.field label { display: block; font-size: 0.9em; line-height: 1.25; margin-bottom: 0.2em; }
/* The help sentence is the control's description for screen readers and its tooltip; shown
   in full it would make the form twice as long. */
.field .help { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.field-error { margin: 0.15em 0 0; font-size: 0.85em; color: var(--error-line); }
.field-error:empty { display: none; }
.angle-row { display: flex; align-items: center; gap: 0.5em; margin-top: 0.4em; }
.angle-row input { flex: 1; }
.angle-row output { min-width: 3.2em; text-align: end; font-variant-numeric: tabular-nums; }
.editor-frame { position: relative; margin: 0.3em 0; }
.spectrum-editor {
  display: block; width: 100%; height: 7em; background: var(--bg); border: 1px solid var(--line);
  border-radius: 6px; cursor: ns-resize; touch-action: none;
}
.spectrum-editor .bar { fill: var(--data); opacity: 0.75; }
.spectrum-editor:focus .bar.selected { opacity: 1; }
.spectrum-editor .unit { stroke: var(--muted); stroke-width: 0.3; stroke-dasharray: 1 1; vector-effect: non-scaling-stroke; }
.axis-note { position: absolute; top: 0.2em; right: 0.4em; font-size: 0.7em; color: var(--muted); pointer-events: none; }
.presets { display: flex; flex-wrap: wrap; gap: 0.35em; margin: 0.35em 0; }
.presets button { padding: 0.15em 0.55em; font-size: 0.9em; min-height: 2em; }
`;
