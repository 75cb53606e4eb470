// The panel's preview area (HTML, CSS, SVG), built on the first preview: the isolated frame that
// preview-runner.js makes, sized to its document up to a maximum, a drag handle (pointer or arrow
// keys) that sets the height by hand, "Open in a tab" and "Close preview".
import { MAX_PREVIEW_HEIGHT, MIN_PREVIEW_HEIGHT } from '../preview-runner.js';

const KEY_STEP = 40;
const MAX_DRAGGED_HEIGHT = 4000;

const CSS = `
.preview { border-top: 1px solid var(--rule); }
.preview-slot iframe { display: block; width: 100%; border: 0; background: #fff; color-scheme: light; }
.preview-handle { height: 8px; cursor: ns-resize; background: var(--rule); touch-action: none;
  display: flex; align-items: center; justify-content: center; }
.preview-handle::after { content: ""; width: 32px; height: 2px; border-radius: 1px; background: var(--muted); }
.preview.dragging iframe { pointer-events: none; } /* the frame's events go to the handle meanwhile */
.preview-handle:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.preview-actions { display: flex; gap: 6px; padding: 4px 8px; align-items: center; }
.preview-actions .note { color: var(--muted); font-size: 12px; flex: 1 1 auto; }
`;

let sheet = null;
function previewSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}

export class PreviewArea {
  /** @param {object} panel the RunPanel (its shadow root, names and output element) */
  constructor(panel) {
    this.panel = panel;
    this.userHeight = null; // set by the handle; then the document's height no longer rules
    this.contentHeight = MIN_PREVIEW_HEIGHT;
    const { shadow } = panel;
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, previewSheet()];
    this.element = document.createElement('div');
    this.element.className = 'preview';
    this.element.dataset.role = 'preview-area';
    this.slot = document.createElement('div');
    this.slot.className = 'preview-slot';
    this.handle = document.createElement('div');
    this.handle.className = 'preview-handle';
    this.handle.dataset.role = 'preview-handle';
    this.handle.tabIndex = 0;
    this.handle.setAttribute('role', 'separator');
    this.handle.setAttribute('aria-orientation', 'horizontal');
    this.handle.setAttribute('aria-valuemin', String(MIN_PREVIEW_HEIGHT));
    this.handle.setAttribute('aria-valuemax', String(MAX_DRAGGED_HEIGHT));
    this.handle.title = 'Drag to resize the preview';
    panel.name(this.handle, 'Preview height');
    const actions = document.createElement('div');
    actions.className = 'preview-actions';
    const note = document.createElement('span');
    note.className = 'note';
    note.textContent = 'Isolated: no network, no cookies, no access to this page.';
    actions.append(note, this.button('open-tab', 'Open in a tab'), this.button('close-preview', 'Close preview'));
    this.element.append(this.slot, this.handle, actions);
    this.element.hidden = true;
    panel.r.output.before(this.element);
    this.wireHandle();
  }

  button(action, label) {
    const el = document.createElement('button');
    el.type = 'button';
    el.dataset.action = action;
    el.textContent = label;
    this.panel.name(el, label);
    return el;
  }

  /** The slot a new frame goes into; the area shows. */
  open() {
    this.element.hidden = false;
    return this.slot;
  }

  close() {
    this.slot.replaceChildren();
    this.element.hidden = true;
  }

  /** The document's own height: the frame follows it up to the maximum, unless sized by hand. */
  fitContent(height) {
    this.contentHeight = Math.max(MIN_PREVIEW_HEIGHT, Math.min(MAX_PREVIEW_HEIGHT, Math.ceil(height)));
    this.apply();
  }

  apply() {
    const frame = this.slot.querySelector('iframe');
    const height = this.userHeight ?? this.contentHeight;
    if (frame) frame.style.height = `${height}px`;
    this.handle.setAttribute('aria-valuenow', String(height));
  }

  setHeight(height) {
    this.userHeight = Math.max(MIN_PREVIEW_HEIGHT, Math.min(MAX_DRAGGED_HEIGHT, Math.round(height)));
    this.apply();
  }

  wireHandle() {
    const { handle } = this;
    handle.addEventListener('pointerdown', (event) => {
      if (!event.isTrusted || event.button !== 0) return;
      event.preventDefault();
      const frame = this.slot.querySelector('iframe');
      const startY = event.clientY;
      const startHeight = frame ? frame.getBoundingClientRect().height : this.contentHeight;
      handle.setPointerCapture(event.pointerId);
      this.element.classList.add('dragging');
      const move = (e) => this.setHeight(startHeight + e.clientY - startY);
      const end = () => {
        this.element.classList.remove('dragging');
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', end);
        handle.removeEventListener('pointercancel', end);
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', end);
      handle.addEventListener('pointercancel', end);
    });
    handle.addEventListener('keydown', (event) => {
      if (!event.isTrusted || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
      event.preventDefault();
      const now = this.userHeight ?? this.contentHeight;
      this.setHeight(now + (event.key === 'ArrowDown' ? KEY_STEP : -KEY_STEP));
    });
  }
}
