// The failing line, marked over the page's own block: a box drawn in the panel's shadow root
// (positioned from the panel host, which is the block's next sibling), so the page's DOM is never
// touched. The line's box comes from the code's text: its own line element when the renderer
// makes one per line, else a Range over the line's characters.
import { NOT_CODE, isBlockElement, lineElements } from '../code-text.js';

/** The viewport rectangle of `line` (1-based, as the block shows it) in `codeElement`, or null. */
export function lineRect(codeElement, line) {
  if (!codeElement?.isConnected || line < 1) return null;
  const perLine = lineElements(codeElement);
  if (perLine.length) {
    const el = perLine[line - 1];
    return el ? visible(el.getBoundingClientRect()) : null;
  }
  const range = lineRange(codeElement, line);
  if (!range) return null;
  const rects = Array.from(range.getClientRects()).filter((r) => r.height > 0);
  if (!rects.length) return null;
  const top = Math.min(...rects.map((r) => r.top));
  const bottom = Math.max(...rects.map((r) => r.bottom));
  return visible(new DOMRect(rects[0].left, top, 1, bottom - top));
}

function visible(rect) {
  return rect.height > 0 ? rect : null;
}

// The characters of `line` as code-text.js reads the block: text nodes in order, skipping what is
// not code (buttons, gutters, our panels); a <br> is a line break, and a block element starts a
// line unless the text already did.
function lineRange(root, line) {
  let current = 1;
  let start = null;
  let end = null;
  let last = ''; // the last character read
  let pendingBreak = false;
  const read = (c, node, offset) => {
    if (pendingBreak) {
      pendingBreak = false;
      if (last && last !== '\n' && c !== '\n') current += 1;
    }
    if (c === '\n') current += 1;
    else if (current === line) {
      start ||= { node, offset };
      end = { node, offset: offset + 1 };
    }
    last = c;
  };
  const walk = (node) => {
    for (let child = node.firstChild; child && current <= line; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const data = child.data;
        for (let i = 0; i < data.length && current <= line; i++) read(data[i], child, i);
      } else if (child.nodeType === Node.ELEMENT_NODE && !child.matches(NOT_CODE)) {
        if (child.tagName === 'BR') {
          read('\n', child, 0);
          continue;
        }
        const block = isBlockElement(child);
        if (block) pendingBreak = true;
        walk(child);
        if (block) pendingBreak = true;
      }
    }
  };
  walk(root);
  if (!start) return null;
  const range = document.createRange();
  range.setStart(start.node, start.offset);
  range.setEnd(end.node, end.offset);
  return range;
}

/** The mark box over one line of a block, kept in place while the page lays out again. */
export class LineMark {
  constructor(host, layer) {
    this.host = host;
    this.layer = layer; // an element in the panel's shadow root
    this.target = null;
    this.observer = null;
  }

  show(blockRoot, codeElement, line) {
    this.target = { blockRoot, codeElement, line };
    this.place();
    if (!this.observer) {
      this.observer = new ResizeObserver(() => this.place());
      this.onResize = () => this.place();
      window.addEventListener('resize', this.onResize);
    }
    this.observer.disconnect();
    this.observer.observe(blockRoot);
    this.observer.observe(this.host);
  }

  place() {
    const target = this.target;
    const rect = target && lineRect(target.codeElement, target.line);
    if (!rect) {
      this.layer.hidden = true;
      delete this.host.dataset.mark;
      return false;
    }
    this.host.dataset.mark = String(target.line);
    const hostBox = this.host.getBoundingClientRect();
    const block = target.blockRoot.getBoundingClientRect();
    Object.assign(this.layer.style, {
      top: `${rect.top - hostBox.top}px`,
      left: `${block.left - hostBox.left}px`,
      width: `${block.width}px`,
      height: `${rect.height}px`,
    });
    this.layer.hidden = false;
    return true;
  }

  /** Scroll the page so the marked line is in view. */
  reveal() {
    if (!this.target) return;
    const rect = lineRect(this.target.codeElement, this.target.line);
    if (!rect) return;
    const { codeElement, line } = this.target;
    const perLine = lineElements(codeElement);
    (perLine[line - 1] || codeElement).scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  clear() {
    this.target = null;
    this.layer.hidden = true;
    delete this.host.dataset.mark;
    this.observer?.disconnect();
    if (this.onResize) window.removeEventListener('resize', this.onResize);
    this.observer = null;
    this.onResize = null;
  }
}
