// The spectrum editor: one bar per data variance (log scale), dragged up or down with the
// mouse, a finger or the arrow keys. It only reports new variances; the element applies them.
const SVG = 'http://www.w3.org/2000/svg';
const LOG_MIN = -3; // 0.001
const LOG_MAX = 2; // 100
const WIDTH = 100;
const HEIGHT = 40;

const yOf = (v) => HEIGHT * (1 - (Math.log10(v) - LOG_MIN) / (LOG_MAX - LOG_MIN));
const clampLog = (l) => Math.min(LOG_MAX, Math.max(LOG_MIN, l));
/** Three significant digits: enough to drag, short enough for a shared link. */
const round = (v) => Number(v.toPrecision(3));

/**
 * onChange(values) is called at most once per animation frame while dragging, with the
 * full list of variances in basis order.
 */
export function createSpectrumEditor({ onChange }) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('class', 'spectrum-editor');
  svg.setAttribute('tabindex', '0');
  svg.setAttribute('role', 'slider');
  svg.setAttribute('aria-label', 'Data variances: drag a bar, or use ←/→ to pick a direction and ↑/↓ to change it');
  const unit = document.createElementNS(SVG, 'line'); // variance 1, for reference
  unit.setAttribute('class', 'unit');
  unit.setAttribute('x1', 0);
  unit.setAttribute('x2', WIDTH);
  unit.setAttribute('y1', yOf(1));
  unit.setAttribute('y2', yOf(1));
  svg.append(unit);

  let values = [];
  let bars = [];
  let selected = 0;
  let dragging = -1;
  let frame = 0;

  const emit = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      onChange(values.slice());
    });
  };

  function layout() {
    const n = values.length;
    while (bars.length < n) {
      const bar = document.createElementNS(SVG, 'rect');
      bar.setAttribute('class', 'bar');
      svg.append(bar);
      bars.push(bar);
    }
    while (bars.length > n) bars.pop().remove();
    const slot = WIDTH / Math.max(1, n);
    const gap = n > 32 ? 0 : slot * 0.15;
    bars.forEach((bar, i) => {
      const y = Math.max(0, Math.min(HEIGHT, yOf(values[i])));
      bar.setAttribute('x', i * slot + gap / 2);
      bar.setAttribute('width', Math.max(0.2, slot - gap));
      bar.setAttribute('y', y);
      bar.setAttribute('height', HEIGHT - y);
      bar.classList.toggle('selected', i === selected);
    });
    const v = values[selected];
    if (v !== undefined) {
      svg.setAttribute('aria-valuenow', String(v));
      svg.setAttribute('aria-valuemin', String(10 ** LOG_MIN));
      svg.setAttribute('aria-valuemax', String(10 ** LOG_MAX));
      svg.setAttribute('aria-valuetext', `direction ${selected + 1} of ${values.length}: variance ${v}`);
    }
  }

  function setBar(i, logValue) {
    values[i] = round(10 ** clampLog(logValue));
    selected = i;
    layout();
    emit();
  }

  function pointerTo(event) {
    const box = svg.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    const index = Math.min(values.length - 1, Math.max(0, Math.floor(fx * values.length)));
    return { index, log: LOG_MAX - fy * (LOG_MAX - LOG_MIN) };
  }

  svg.addEventListener('pointerdown', (event) => {
    if (!values.length || event.button !== 0) return;
    event.preventDefault();
    svg.focus();
    svg.setPointerCapture(event.pointerId);
    const { index, log } = pointerTo(event);
    dragging = index;
    setBar(index, log);
  });
  svg.addEventListener('pointermove', (event) => {
    if (dragging < 0) return;
    setBar(dragging, pointerTo(event).log);
  });
  const stop = () => { dragging = -1; };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);

  svg.addEventListener('keydown', (event) => {
    if (!values.length) return;
    const step = { ArrowUp: 0.05, ArrowDown: -0.05, PageUp: 0.3, PageDown: -0.3 }[event.key];
    if (step !== undefined) {
      setBar(selected, Math.log10(values[selected]) + step);
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      selected = (selected + (event.key === 'ArrowLeft' ? values.length - 1 : 1)) % values.length;
      layout();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation(); // the element's shortcuts must not also see these keys
  });

  return {
    element: svg,
    /** New variances from the engine; ignored mid-drag (the drag is the source of truth). */
    update(next) {
      if (dragging >= 0) return;
      if (next.length === values.length && next.every((v, i) => v === values[i])) return;
      values = next.slice();
      selected = Math.min(selected, values.length - 1);
      layout();
    },
  };
}
