// The element's styles, inside its shadow root: the host page cannot break them and they
// cannot leak out. Colours: data is always blue, weights always vermillion (Okabe-Ito); the
// dark and contrast themes use the same hues as the charts drawn by the engine.
export const CSS = `
:host {
  display: block;
  container-type: inline-size;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: clamp(16px, 0.45vw + 11px, 22px);
  line-height: 1.45;
  text-align: start;
  --panel-height: auto;
  margin: 1em 0;
}
/* No :host([hidden]) rule on purpose: hidden="256" is the hidden-layer width here, and this
   display: block (author origin) overrides the browser's [hidden] { display: none }. */
* { box-sizing: border-box; }
[hidden] { display: none !important; }

.root {
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
  font-size: 1.2em;
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
input:disabled, select:disabled, button:disabled { opacity: 0.55; cursor: not-allowed; }
input[aria-invalid="true"] { border-color: var(--error-line); box-shadow: 0 0 0 1px var(--error-line); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85em; color: var(--muted); }

.status { display: flex; flex-direction: column; gap: 0.5em; }
.loading { color: var(--muted); padding: 2em 0; text-align: center; }

/* Transport bar */
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em 1em; margin-bottom: 0.5em; }
.toolbar .group { display: flex; align-items: center; gap: 0.4em; }
.toolbar .speed input { width: 9em; }
.toolbar .speed-value { min-width: 5.5em; font-variant-numeric: tabular-nums; color: var(--muted); }
.toolbar .seed { width: 8.5em; }

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
/* Narrow: the engine stacks the three curve charts, so the canvas must be tall. */
@container (max-width: 600px) {
  .panel.wide canvas { aspect-ratio: 0.6; }
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
