// The chat's message box ("composer"), for "Ask the chat to fix it": a site adapter names it
// (`composer`, a selector list, most specific first); on any other page it is the visible
// textarea or contenteditable box lowest on the page. Text is put in as typing would, at the end
// of whatever draft is there, and never sent: no Enter, no submit.
import { selectorList } from './adapter-guard.js';

const EDITABLE = 'textarea, [contenteditable=""], [contenteditable="true"], [contenteditable="plaintext-only"]';
// Below this share of the viewport's height a box is not "near the bottom" (a composer is
// usually pinned to the bottom of the window or ends the page).
const LOW_ON_SCREEN = 0.45;

/** The composer for a block (`blockRoot`) of `adapter` on this page, or null. */
export function findComposer(adapter, blockRoot = null, doc = document) {
  for (const selector of selectorList(adapter?.composer)) {
    let found = [];
    try {
      found = Array.from(doc.querySelectorAll(selector));
    } catch {
      continue; // a selector that does not parse here: the generic search still works
    }
    const usable = found.find(isUsable);
    if (usable) return usable;
  }
  return genericComposer(doc, blockRoot);
}

// The lowest box on the screen or the page; failing that (a layout that puts it beside the
// thread), the last one after the block in the page's order, where chat UIs put their composer.
function genericComposer(doc, blockRoot) {
  const view = doc.defaultView;
  const viewportHeight = view.innerHeight;
  const pageHeight = doc.documentElement.scrollHeight;
  let best = null;
  let bestBottom = -Infinity;
  let after = null;
  for (const el of doc.querySelectorAll(EDITABLE)) {
    if (!isUsable(el)) continue;
    const rect = el.getBoundingClientRect();
    const pageBottom = rect.bottom + view.scrollY;
    const low = rect.top >= viewportHeight * LOW_ON_SCREEN || pageBottom >= pageHeight * (1 - LOW_ON_SCREEN);
    if (low && pageBottom > bestBottom) {
      best = el;
      bestBottom = pageBottom;
    }
    if (blockRoot && blockRoot.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) after = el;
  }
  return best || after;
}

function isUsable(el) {
  if (el.closest('[data-code-runner], pre, code, [aria-readonly="true"], [inert]')) return false;
  if (el.matches('textarea') && (el.readOnly || el.disabled)) return false;
  if (!el.matches('textarea') && !el.isContentEditable) return false;
  // An editable region inside another one is part of it: use the outermost.
  if (el.parentElement?.closest('[contenteditable="true"], [contenteditable=""]')) return false;
  const rect = el.getBoundingClientRect();
  if (rect.width < 20 || rect.height < 8) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
}

/** Put `text` at the end of the composer's draft, as typing or pasting would; true if it is in. */
export function insertIntoComposer(el, text) {
  el.scrollIntoView({ block: 'nearest' });
  el.focus({ preventScroll: true });
  if (el.matches('textarea')) {
    const draft = el.value;
    const insert = draft.trim() ? `\n\n${text}` : text;
    el.setSelectionRange(draft.length, draft.length);
    // insertText goes through the page's own input handling (React, Vue, Svelte see it).
    if (!document.execCommand('insertText', false, insert) || !el.value.includes(text)) {
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
      setter.call(el, draft + insert);
      el.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: insert }));
    }
    return el.value.includes(text);
  }
  const selection = el.ownerDocument.getSelection();
  const range = el.ownerDocument.createRange();
  range.selectNodeContents(el);
  range.collapse(false);
  selection.removeAllRanges();
  selection.addRange(range);
  // Rich editors (ProseMirror, Quill, Lexical, CodeMirror) take text from a paste; a plain
  // contenteditable box ignores a paste it did not get from the user, so then insert it as typed.
  const data = new DataTransfer();
  data.setData('text/plain', text);
  const taken = !el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  if (!taken) document.execCommand('insertText', false, text);
  return normalized(el.innerText).includes(normalized(text).split('\n')[0]);
}

function normalized(text) {
  return String(text).replace(/\u00a0/g, ' ');
}
