// Reads one block root through its adapter: the code element, the code text, the language
// the site gives (class, data attribute, label), and the chat message it belongs to.
import { inferLanguage, languageNamed } from '../shared/languages.js';
import { readCodeText, parseMarker } from './code-text.js';

const LABEL_MAX_CHARS = 24;

export function findCodeElement(root, adapter) {
  if (adapter.code) {
    for (const selector of adapter.code.split(',')) {
      const found = root.querySelector(selector.trim());
      if (found) return found;
    }
  }
  return root.tagName === 'PRE' || root.tagName === 'CODE' ? root : null;
}

function classHints(element) {
  const hints = [];
  for (const name of element.classList) {
    if (/^(language|lang)-/i.test(name)) hints.push({ value: name, explicit: true });
    else hints.push({ value: name, explicit: false });
  }
  return hints;
}

/** Language the site states for the block: canonical name, null (a non-runnable language),
 *  or undefined (the site says nothing). */
export function siteLanguage(root, codeElement, adapter) {
  // 1. classes on the code element and its ancestors up to the root: language-x, lang-x, bare x.
  const chain = [];
  for (let el = codeElement; el; el = el.parentElement) {
    chain.push(el);
    if (el === root) break;
  }
  for (const el of chain) {
    for (const hint of classHints(el)) {
      const lang = languageNamed(hint.value);
      // A bare class only counts when it names a runnable language: utility classes such as
      // "text" or "log" must not make a block unrunnable.
      if (lang !== undefined && (hint.explicit || lang !== null)) return lang;
    }
  }
  // 2. data attributes (editors such as CodeMirror set data-language).
  const withData = [...chain, ...root.querySelectorAll('[data-language], [data-lang]')];
  for (const el of withData) {
    const lang = languageNamed(el.getAttribute('data-language') ?? el.getAttribute('data-lang'));
    if (lang !== undefined) return lang;
  }
  // 3. header / label text, display names included ("Python", "JavaScript", "Code snippet").
  for (const text of labelTexts(root, codeElement, adapter)) {
    const lang = languageNamed(text);
    if (lang !== undefined) return lang;
  }
  return undefined;
}

function labelTexts(root, codeElement, adapter) {
  const texts = [];
  if (adapter.label) {
    for (const el of root.querySelectorAll(adapter.label)) {
      if (codeElement && (el.contains(codeElement) || codeElement.contains(el))) continue;
      const text = el.textContent.trim();
      if (text && text.length <= LABEL_MAX_CHARS) texts.push(text);
    }
  }
  if (adapter.previousLabel) {
    const previous = root.previousElementSibling;
    const text = previous && previous.textContent.trim();
    if (text && text.length <= LABEL_MAX_CHARS && !previous.querySelector('pre, code')) texts.push(text);
  }
  return texts;
}

let nextMessageKey = 1;
const messageKeys = new WeakMap();

function messageInfo(root, adapter) {
  const message = adapter.message ? root.closest(adapter.message) : null;
  if (!message) return { message: null, messageKey: 'page', messageId: null };
  const attr = adapter.messageId && message.getAttribute(adapter.messageId);
  if (!messageKeys.has(message)) messageKeys.set(message, attr || `m${nextMessageKey++}`);
  const messageId = attr ? attr.replace(/^message-/, '') : null;
  return { message, messageKey: messageKeys.get(message), messageId };
}

/** Everything the pipeline needs to know about a block right now. */
export function readBlock(root, adapter) {
  const codeElement = findCodeElement(root, adapter);
  const rawText = readCodeText(codeElement);
  const { title, code, lineOffset } = parseMarker(rawText);
  const stated = siteLanguage(root, codeElement, adapter);
  const language = stated === undefined ? inferLanguage(code) : stated;
  return {
    root,
    codeElement,
    rawText,
    code,
    title,
    lineOffset,
    language, // canonical runnable name, or null
    languageSource: stated === undefined ? 'inferred' : 'site',
    ...messageInfo(root, adapter),
  };
}
