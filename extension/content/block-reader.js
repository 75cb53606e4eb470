// Reads one block root through its adapter: the code element, the code text, the language
// the site gives (class, data attribute, label, the block's header), and the chat message it
// belongs to. An adapter that throws here is switched off (adapter-guard.js) and the block is
// read without it.
import { blockLanguage, isRunnable, languageNamed } from '../shared/languages.js';
import { readCodeText, parseMarker } from './code-text.js';
import { guarded, selectorList } from './adapter-guard.js';
import { firstMatch } from './block-finder.js';
import { headerLanguage } from './block-header.js';

const LABEL_MAX_CHARS = 24;

export function findCodeElement(root, adapter) {
  return (adapter.codeOf && adapter.codeOf(root)) || firstMatch(root, selectorList(adapter.code)) || plainCodeElement(root);
}

function plainCodeElement(root) {
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
      if (lang !== undefined && (hint.explicit || isRunnable(lang))) return lang;
    }
  }
  // 2. data attributes (editors such as CodeMirror set data-language).
  const withData = [...chain, ...root.querySelectorAll('[data-language], [data-lang]')];
  for (const el of withData) {
    const lang = languageNamed(el.getAttribute('data-language') ?? el.getAttribute('data-lang'));
    if (lang !== undefined) return lang;
  }
  // 3. the adapter's label, display names included ("Python", "JavaScript", "Code snippet").
  for (const text of labelTexts(root, codeElement, adapter)) {
    const lang = languageNamed(text);
    if (lang !== undefined) return lang;
  }
  // 4. anything else the block's header states: labels, file names and icons, aria-labels.
  const stated = headerLanguage(root, codeElement);
  if (stated !== undefined) return stated;
  // 5. a short label just before the block.
  const previous = previousLabel(root, adapter);
  return previous === undefined ? undefined : languageNamed(previous);
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
  return texts;
}

function previousLabel(root, adapter) {
  if (!adapter.previousLabel) return undefined;
  const previous = root.previousElementSibling;
  const text = previous && previous.textContent.trim();
  return text && text.length <= LABEL_MAX_CHARS && !previous.querySelector('pre, code') ? text : undefined;
}

let nextMessageKey = 1;
const messageKeys = new WeakMap();

const NO_MESSAGE = Object.freeze({ message: null, messageKey: 'page', messageId: null });

function messageInfo(root, adapter) {
  const message = adapter.message ? root.closest(adapter.message) : null;
  if (!message) return NO_MESSAGE;
  const attr = adapter.messageId && message.getAttribute(adapter.messageId);
  if (!messageKeys.has(message)) messageKeys.set(message, attr || `m${nextMessageKey++}`);
  const messageId = attr ? attr.replace(/^message-/, '') : null;
  return { message, messageKey: messageKeys.get(message), messageId };
}

/** Everything the pipeline needs to know about a block right now. */
export function readBlock(root, adapter) {
  const codeElement = guarded(adapter, () => findCodeElement(root, adapter), null) || plainCodeElement(root);
  const rawText = readCodeText(codeElement);
  const { title, code, lineOffset } = parseMarker(rawText);
  const stated = guarded(adapter, () => siteLanguage(root, codeElement, adapter), undefined);
  const language = blockLanguage(stated, code); // the site's word, a dialect of it, or a guess
  return {
    root,
    codeElement,
    rawText,
    code,
    title,
    lineOffset,
    language, // canonical runnable name, or null
    languageSource: stated === undefined ? 'inferred' : 'site',
    ...guarded(adapter, () => messageInfo(root, adapter), NO_MESSAGE),
  };
}
