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

// Where code can be: every <pre>, and outside one: `code`, CodeMirror's content, the first
// element of each run of line elements.
export const CANDIDATES = [
  'pre',
  'code:not(pre *)',
  '.cm-content:not(pre *)',
  '.line:not(.line + .line):not(pre *, code *, .cm-content *)',
  '.token-line:not(.token-line + .token-line):not(pre *, code *, .cm-content *)',
].join(', ');

// Never part of one code block: the conversation's own structure and prose.
const STOP = [
  'html', 'body', 'main', 'article', 'section', 'p', 'li', 'td', 'th', 'blockquote', 'dialog',
  '[role="article"]', '[role="main"]', '[role="listitem"]', '[role="log"]', '[role="dialog"]',
  '[contenteditable="true"]', '[data-message-id]', '[data-message-author-role]',
  '.prose', '.markdown', '.markdown-body', '.markdown-prose',
].join(', ');
// What a block's chrome (header, toolbar) never holds.
const NOT_CHROME = 'pre, code, .cm-content, .cm-line, .line, .token-line, p, ul, ol, table, blockquote, h1, h2, h3, h4, h5, h6, hr, article, section';
// Visible without text: such an element is chrome, not an empty layer.
const VISIBLE = 'img, svg, button, [role="button"], [role="img"], input, select, canvas, video, iframe';
const CHROME_TEXT_MAX = 80; // a header's words: language, file name, "Copy code", "Download"
const BOX_DEPTH = 6; // CodeMirror: .cm-content > .cm-scroller > .cm-editor > wrappers
const CONTAINER_DEPTH = 3;

const codeOfRoot = new WeakMap(); // block root -> its code element, as last recognised

/**
 * The code blocks in `scope`, in document order: [{root, code}], `root` being the whole visual
 * block (the panel goes after it). `code` lists where a <pre>'s code element is, in order of
 * preference; `stop` adds elements a block never reaches out of (the site's messages);
 * `skip(el)` tells which candidates other adapters own.
 */
export function findCodeBlocks(scope, { code = ['code'], stop = null, skip = () => false } = {}) {
  const options = { code, stop: stop ? `${STOP}, ${stop}` : STOP };
  const blocks = [];
  const seen = new Set();
  for (const candidate of scope.querySelectorAll(CANDIDATES)) {
    if (skip(candidate)) continue;
    const block = recognise(candidate, options);
    if (!block || seen.has(block.root)) continue;
    seen.add(block.root);
    codeOfRoot.set(block.root, block.code);
    blocks.push(block);
  }
  return blocks;
}

/** The code element of a block root `findCodeBlocks` returned (looked for again when the site
 *  re-rendered the code inside the same root). */
export function codeOfBlock(root, { code = ['code'], stop = null } = {}) {
  const known = codeOfRoot.get(root);
  if (known && root.contains(known)) return known;
  const options = { code, stop: stop ? `${STOP}, ${stop}` : STOP };
  for (const candidate of root.querySelectorAll(CANDIDATES)) {
    const block = recognise(candidate, options);
    if (block && block.root === root) {
      codeOfRoot.set(root, block.code);
      return block.code;
    }
  }
  return null;
}

/** The first element in `root` matching the first selector of `selectors` that matches. */
export function firstMatch(root, selectors) {
  for (const selector of selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

function recognise(candidate, { code: codeSelectors, stop }) {
  if (candidate.tagName === 'PRE') {
    const code = firstMatch(candidate, codeSelectors) || candidate;
    return { root: containerOf(boxOf(candidate, stop), stop), code };
  }
  const code = candidate.matches('.cm-content, code') ? candidate : candidate.parentElement;
  if (!code || (code !== candidate && code.closest('pre, code, .cm-content'))) return null;
  // A CodeMirror view the user types into (a prompt box, a playground) is not an answer's block.
  if (code.matches('.cm-content') && (code.isContentEditable || !code.closest('.cm-editor'))) return null;
  const lines = lineElements(code);
  if (!hasTwoLines(code, lines)) return null; // cheap: inline code is one line
  const view = code.ownerDocument.defaultView;
  const textStyle = view.getComputedStyle(lines[0] || code);
  if (!keepsWhiteSpace(textStyle)) return null;
  const box = boxOf(code, stop);
  // Laid out as a block: lines that are blocks, a code element that is one, or a box around it
  // that holds nothing else (inline code shares its box with the sentence around it).
  const laidOutAsBlock = !isInline(textStyle) || (box !== code && !isInline(view.getComputedStyle(box)));
  if (!laidOutAsBlock) return null;
  if (!readCodeText(code).trim().includes('\n')) return null; // line numbers only, or one line
  return { root: containerOf(box, stop), code };
}

function hasTwoLines(code, lines) {
  if (lines.length >= 2) return true;
  const text = code.textContent;
  const newline = text.indexOf('\n');
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
function boxOf(element, stop) {
  let box = element;
  for (let depth = 0; depth < BOX_DEPTH; depth++) {
    const parent = box.parentElement;
    if (!parent || parent.matches(stop) || chromeAround(parent, box) !== 'none') break;
    box = parent;
  }
  return box;
}

/** The box widened to the ancestors that add only chrome (header, toolbar) around it. */
function containerOf(box, stop) {
  let root = box;
  let element = box;
  for (let depth = 0; depth < CONTAINER_DEPTH; depth++) {
    const parent = element.parentElement;
    if (!parent || parent.matches(stop)) break;
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

/** Gutters, hidden layers, empty spacers and our own panels: nothing a reader sees as content. */
function isDecoration(element) {
  if (element.matches(HIDDEN)) return true;
  if (element.matches(VISIBLE) || element.querySelector(VISIBLE)) return false;
  if (!element.textContent.trim()) return true;
  // A gutter of its own (react-syntax-highlighter's line-number <code>): only hidden children.
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE ? node.data.trim() : !node.matches?.(HIDDEN)) return false;
  }
  return true;
}
