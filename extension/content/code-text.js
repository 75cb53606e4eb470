// Reading the code of a block the way the user sees it, and the `<!-- executable: Title -->`
// marker some chat apps put on its first line.

// Parts of a rendered block that are not code: line-number gutters, buttons, screen-reader text.
const NOT_CODE = [
  'button',
  '.cm-gutters',
  '.cm-gutter',
  '.linenumber',
  '.line-number',
  '.react-syntax-highlighter-line-number',
  '[aria-hidden="true"]',
  '.sr-only',
  '[data-code-runner]',
].join(',');

const BLOCK_TAGS = new Set(['DIV', 'P', 'LI', 'TR']);

/** Text of a code element with line structure kept (editor lines, <br>, block children). */
export function readCodeText(element) {
  if (!element) return '';
  const editorLines = element.querySelectorAll(':scope .cm-line');
  if (editorLines.length > 0) {
    return Array.from(editorLines, (line) => line.textContent).join('\n');
  }
  if (!element.querySelector('br, div, p') && !element.querySelector(NOT_CODE)) {
    return element.textContent; // fast path: plain highlighted text
  }
  let text = '';
  const walk = (node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        text += child.data;
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        if (child.matches(NOT_CODE)) continue;
        if (child.tagName === 'BR') {
          text += '\n';
          continue;
        }
        const isBlock = BLOCK_TAGS.has(child.tagName);
        if (isBlock && text && !text.endsWith('\n')) text += '\n';
        walk(child);
        if (isBlock && !text.endsWith('\n')) text += '\n';
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
