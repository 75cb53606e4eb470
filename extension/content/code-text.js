// Reading the code of a block the way the user sees it, and the `<!-- executable: Title -->`
// marker some chat apps put on its first line.

// Parts of a rendered block nobody reads as code: line-number gutters, hidden layers,
// screen-reader text, our own panels; and (NOT_CODE) the block's buttons.
export const HIDDEN = [
  '.cm-gutters',
  '.cm-gutter',
  '.linenumber',
  '.line-number',
  '.react-syntax-highlighter-line-number',
  '[aria-hidden="true"]',
  '.sr-only',
  '[data-code-runner]',
].join(',');
export const NOT_CODE = `button,${HIDDEN}`;

// One element per line: CodeMirror 6 (.cm-line), Shiki and most renderers (.line),
// prism-react-renderer (.token-line). Their text is joined with one newline each, whether or
// not the renderer also put newline characters inside or between them.
export const LINE = '.cm-line, .line, .token-line';

const BLOCK_TAGS = new Set(['DIV', 'P', 'LI', 'TR']);
// Highlighters that wrap lines in spans make them blocks with an inline style
// (react-syntax-highlighter's lineProps, wrapLongLines): no style read needed to see it.
const BLOCK_STYLE = /(^|;)\s*display\s*:\s*(block|flex|grid)\b/i;

/** An element that starts a new line of text by its tag or its inline style. */
export function isBlockElement(element) {
  return BLOCK_TAGS.has(element.tagName) || BLOCK_STYLE.test(element.getAttribute('style') || '');
}

/** Text of a code element with line structure kept (line elements, <br>, block children). */
export function readCodeText(element) {
  if (!element) return '';
  const lines = lineElements(element);
  if (lines.length > 0) {
    return lines.map((line) => walkText(line).replace(/\n$/, '')).join('\n');
  }
  if (!element.querySelector('br, div, p, [style*="display"]') && !element.querySelector(NOT_CODE)) {
    return element.textContent; // fast path: plain highlighted text
  }
  return walkText(element);
}

/** The outermost line elements inside `element` (a line nested in a line is part of it). */
export function lineElements(element) {
  const found = Array.from(element.querySelectorAll(LINE));
  if (found.length === 0) return found;
  // Usually siblings: one check of their parent then serves for all.
  const parent = found[0].parentElement;
  const outer = (el) => el === element ? null : el.closest(`${LINE}, ${NOT_CODE}`);
  const inOther = (el) => {
    const around = outer(el);
    return Boolean(around && around !== element && element.contains(around));
  };
  if (found.every((line) => line.parentElement === parent)) {
    return inOther(parent) ? [] : found.filter((line) => !line.matches(NOT_CODE));
  }
  return found.filter((line) => !line.matches(NOT_CODE) && !inOther(line.parentElement));
}

// Text with a line break around each block child (<div>, <p>, a span styled display:block), as
// the browser lays it out: one break between two blocks even when the markup also holds a
// newline there, none after the last one.
function walkText(element) {
  let text = '';
  let breakPending = false;
  // `data` from the markup: a newline it starts with is the pending break itself.
  const add = (data, fromMarkup = true) => {
    if (!data) return;
    if (breakPending) {
      breakPending = false;
      if (text && !text.endsWith('\n') && !(fromMarkup && data.startsWith('\n'))) text += '\n';
    }
    text += data;
  };
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        add(child.data);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.matches(NOT_CODE)) continue;
        if (child.tagName === 'BR') {
          add('\n', false);
          continue;
        }
        const isBlock = isBlockElement(child);
        if (isBlock) breakPending = true;
        walk(child);
        if (isBlock) breakPending = true;
      }
    }
  };
  walk(element);
  return text;
}

const MARKER = /^[ \t]*<!--\s*executable:\s*(.*?)\s*-->[ \t]*(\r?\n|$)/;

/** Split the marker off: {title, code (to run/store), lineOffset (lines removed above)}. */
export function parseMarker(rawCode) {
  const source = String(rawCode).replace(/\r\n?/g, '\n');
  const match = MARKER.exec(source);
  if (!match) return { title: null, code: trimTrailingNewlines(source), lineOffset: 0 };
  return {
    title: match[1] || null,
    code: trimTrailingNewlines(source.slice(match[0].length)),
    lineOffset: 1,
  };
}

function trimTrailingNewlines(text) {
  return text.replace(/\n+$/, '');
}
