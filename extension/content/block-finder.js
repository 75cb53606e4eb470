// The generic adapter's detection: a code block is recognised by what it is — code text laid
// out as a block with its white space kept — not by its tag name. A <pre> says so by itself;
// anything else (a highlighter rendering into a <div>, one element per line, a read-only
// CodeMirror 6 view, a `code` that is itself display:block) needs at least two lines, preserved
// white space and a block box, read from the computed style. Cheap checks come first: inline
// code in a sentence is turned away by its text (one line) or its box (it shares a paragraph)
// before any style is read, and only style is read (never layout).
//
// Each block is then widened to the whole visual block, so the panel goes after it and its
// header is read: the code's box (the code plus wrappers holding nothing else but gutters and
// empty layers), then the ancestors that add only chrome around it (a header with the language,
// a file name or icon, the site's own buttons), up to the first that holds prose or other code.
import { HIDDEN, isBlockElement, lineElements, readCodeText } from './code-text.js';

// Where code can be: every <pre>, and outside one: `code` (but not straight inside a sentence),
// CodeMirror's content, the first element of each run of line elements. Never inside what the
// user is typing (a composer is contenteditable): a panel there would edit their message.
const PHRASING = ['p', 'li', 'td', 'th', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a', 'strong', 'em', 'b', 'i', 'label', 'summary'];
const EDITABLE = '[contenteditable=""] *, [contenteditable="true"] *, [contenteditable="plaintext-only"] *';
export const CANDIDATES = [
  'pre',
  `code:not(pre *):not(${PHRASING.map((tag) => `${tag} > code`).join(', ')})`,
  '.cm-content:not(pre *)',
  '.line:not(.line + .line):not(pre *, code *, .cm-content *)',
  '.token-line:not(.token-line + .token-line):not(pre *, code *, .cm-content *)',
].map((selector) => `${selector}:not(${EDITABLE})`).join(', ');

// Never part of one code block: the conversation's own structure and prose.
const STOP = [
  'html', 'body', 'main', 'article', 'section', 'p', 'li', 'td', 'th', 'blockquote', 'dialog',
  '[role="article"]', '[role="main"]', '[role="listitem"]', '[role="log"]', '[role="dialog"]',
  '[contenteditable="true"]', '[data-message-id]', '[data-message-author-role]',
  '.prose', '.markdown', '.markdown-body', '.markdown-prose',
].join(', ');
// What a block's chrome (header, toolbar) never holds.
const NOT_CHROME = 'pre, code, .cm-content, .cm-line, .line, .token-line, p, ul, ol, table, blockquote, h1, h2, h3, h4, h5, h6, hr, article, section';
// Never shown: components render <style> and <script> beside their markup.
const UNSEEN = 'script, style, template, link, meta, noscript';
// Visible without text: such an element is chrome, not an empty layer.
const VISIBLE = 'img, svg, button, [role="button"], [role="img"], input, select, canvas, video, iframe';
const CHROME_TEXT_MAX = 80; // a header's words: language, file name, "Copy code", "Download"
const BOX_DEPTH = 6; // CodeMirror: .cm-content > .cm-scroller > .cm-editor > wrappers
const CONTAINER_DEPTH = 3;

/**
 * The code blocks in `scope`, one at a time: {root, code}, `root` being the whole visual block
 * (the panel goes after it) and `code` the element holding the code (for a <pre>, the pre:
 * `codeOfBlock` finds its code element). `stop` adds elements a block never reaches out of (the
 * site's messages); `skip(el)` tells which candidates other adapters own; `order(candidates)`
 * the order to look at them in (document order by default). Lazy: a long page is searched in
 * slices (block-scanner.js), each `next()` looking at one candidate (undefined when it is none).
 */
export function* eachCodeBlock(scope, { stop = null, skip = () => false, order = (list) => list } = {}) {
  const options = withStops(stop);
  const seen = new Set();
  for (const candidate of order(scope.querySelectorAll(CANDIDATES))) {
    const block = skip(candidate) ? null : recognise(candidate, options);
    if (!block || seen.has(block.root)) {
      yield undefined;
      continue;
    }
    seen.add(block.root);
    yield block;
  }
}

/** The code element of a block root `eachCodeBlock` gave; `code` lists where a <pre>'s
 *  code element is, in order of preference. Null when `root` is no longer such a block. */
export function codeOfBlock(root, { code = ['code'], stop = null } = {}) {
  const options = withStops(stop);
  const candidates = root.matches(CANDIDATES) ? [root] : [];
  for (const candidate of [...candidates, ...root.querySelectorAll(CANDIDATES)]) {
    const block = recognise(candidate, options);
    if (block && block.root === root) return block.code.tagName === 'PRE' ? firstMatch(block.code, code) || block.code : block.code;
  }
  return null;
}

// Whether an element is a stop, remembered for one search (siblings share their parent).
function withStops(stop) {
  const selector = stop ? `${STOP}, ${stop}` : STOP;
  const known = new Map();
  return {
    isStop(el) {
      let answer = known.get(el);
      if (answer === undefined) known.set(el, (answer = el.matches(selector)));
      return answer;
    },
  };
}

/** The first element in `root` matching the first selector of `selectors` that matches. */
export function firstMatch(root, selectors) {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

// candidate -> {block, parent, children}: a block stays recognised while nothing moved around it
// (a later scan, or the reader, asks again about the same elements). A <pre> costs too little to
// remember.
const recognised = new WeakMap();

function recognise(candidate, options) {
  if (candidate.tagName === 'PRE') return recognisePre(candidate, options);
  const known = recognised.get(candidate);
  if (known && isFresh(known, candidate)) return known.block;
  const block = recogniseOther(candidate, options);
  const parent = block?.root.parentElement;
  if (parent) recognised.set(candidate, { block, parent, children: parent.childElementCount });
  else if (known) recognised.delete(candidate);
  return block;
}

function isFresh({ block, parent, children }, candidate) {
  return block.root.parentElement === parent && parent.childElementCount === children && block.root.contains(candidate) &&
    block.root.contains(block.code);
}

function recognisePre(pre, { isStop }) {
  return { root: containerOf(boxOf(pre, isStop), isStop), code: pre };
}

function recogniseOther(candidate, { isStop }) {
  const isEditorContent = candidate.classList.contains('cm-content');
  const code = isEditorContent || candidate.tagName === 'CODE' ? candidate : candidate.parentElement;
  if (!code) return null;
  // Cheapest first: inline code is one line of text, mostly without child elements.
  const text = code.textContent;
  const newline = text.indexOf('\n');
  if (newline === -1 && code.childElementCount < 2) return null;
  if (code !== candidate && code.closest('pre, code, .cm-content')) return null;
  // A CodeMirror view the user types into (a prompt box, a playground) is not an answer's block.
  if (isEditorContent && (code.isContentEditable || !code.closest('.cm-editor'))) return null;
  const lines = lineElements(code);
  if (!hasTwoLines(code, text, newline, lines)) return null;
  // Computed style, never layout: white space kept, and laid out as a block — lines that are
  // blocks, a code element that is one, or a box around it that holds nothing else (inline
  // code shares its box with the sentence around it).
  const view = code.ownerDocument.defaultView;
  const textStyle = view.getComputedStyle(lines[0] || code);
  if (!keepsWhiteSpace(textStyle)) return null;
  const box = boxOf(code, isStop);
  if (isInline(textStyle) && (box === code || isInline(view.getComputedStyle(box)))) return null;
  // Line numbers are text too: what is left without them must still be two lines.
  if (code.querySelector(HIDDEN) && !readCodeText(code).trim().includes('\n')) return null;
  return { root: containerOf(box, isStop), code };
}

function hasTwoLines(code, text, newline, lines) {
  if (lines.length >= 2) return true;
  if (newline !== -1) return /\S/.test(text.slice(0, newline)) && /\S/.test(text.slice(newline + 1));
  // Lines as block children without newline characters: <div>s, or spans styled as blocks.
  const first = code.firstElementChild;
  const second = first?.nextElementSibling;
  return Boolean(second && first.tagName === second.tagName && isBlockElement(first));
}

function keepsWhiteSpace(style) {
  const collapse = style.whiteSpaceCollapse;
  return collapse ? collapse !== 'collapse' : /^(pre|break-spaces)/.test(style.whiteSpace);
}

function isInline(style) {
  return style.display === 'inline' || style.display === 'contents';
}

/** The code element plus the wrappers around it that hold nothing else visible. */
function boxOf(element, isStop) {
  let box = element;
  for (let depth = 0; depth < BOX_DEPTH; depth++) {
    const parent = box.parentElement;
    if (!parent || isStop(parent) || chromeAround(parent, box) !== 'none') break;
    box = parent;
  }
  return box;
}

/** The box widened to the ancestors that add only chrome (header, toolbar) around it. */
function containerOf(box, isStop) {
  let root = box;
  let element = box;
  for (let depth = 0; depth < CONTAINER_DEPTH; depth++) {
    const parent = element.parentElement;
    if (!parent || isStop(parent)) break;
    const around = chromeAround(parent, element);
    if (around === 'other' || (around === 'none' && root !== box)) break;
    element = parent;
    if (around === 'chrome') root = parent;
  }
  return root;
}

/** What `parent` holds besides `child`: 'none' (nothing visible), 'chrome' (a few words,
 *  icons, buttons) or 'other' (prose, other code, or more text than a header has). */
function chromeAround(parent, child) {
  let chrome = false;
  let text = 0;
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node === child) continue;
    if (node.nodeType === Node.TEXT_NODE) {
      const words = node.data.trim().length;
      text += words;
      chrome ||= words > 0;
    } else if (node.nodeType === Node.ELEMENT_NODE && !isDecoration(node)) {
      if (node.matches(NOT_CHROME) || node.querySelector(NOT_CHROME)) return 'other';
      text += node.textContent.trim().length;
      chrome = true;
    }
    if (text > CHROME_TEXT_MAX) return 'other';
  }
  return chrome ? 'chrome' : 'none';
}

/** Gutters, hidden layers, empty spacers, style and script elements, our own panels: nothing a
 *  reader sees as content. */
function isDecoration(element) {
  if (element.matches(`${HIDDEN}, ${UNSEEN}`)) return true;
  if (element.matches(VISIBLE) || element.querySelector(VISIBLE)) return false;
  if (!element.textContent.trim()) return true;
  // A gutter of its own (react-syntax-highlighter's line-number <code>): only hidden children.
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE && node.data.trim()) return false;
    if (node.nodeType === Node.ELEMENT_NODE && !node.matches(HIDDEN)) return false;
  }
  return true;
}
