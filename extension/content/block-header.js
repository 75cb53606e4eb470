// The language a block's header states, outside the code: a label ("Python", a `.languageTitle`
// span), `data-language` / `data-lang` / `data-filetype` / `data-filename`, a file name
// ("main.py", "*.ts": its extension maps through the language registry) and `aria-label` /
// `title` / `alt` of icons. The header is everything the block root holds besides the code: the
// root is the whole visual block, the nearest ancestor holding both code and controls.
import { isRunnable, languageNamed, languageOfFile } from '../shared/languages.js';

const LABEL_MAX_CHARS = 24;
const NAME_ATTRIBUTES = ['data-language', 'data-lang', 'data-filetype', 'data-filename', 'data-file'];
const LABEL_ATTRIBUTES = ['aria-label', 'title', 'alt'];
// Actions ("Copy", "Output", "Run"): only a runnable language named there counts.
const CONTROL = 'button, [role="button"], [role="tab"], a[href]';
// Lists of choices (a language picker's options, a menu): they name every language they offer.
const CHOICES = 'select, datalist, [role="listbox"], [role="menu"]';
// Words around a language name in an accessible label: "Python code", "Language: TypeScript".
const FILLER = new Set(['code', 'snippet', 'block', 'file', 'source', 'language', 'lang', 'icon', 'logo', 'in', 'of', 'a']);

/** What one hint names: a language id, null (a language Chatrun cannot run) or undefined. */
export function languageOfHint(raw) {
  const text = String(raw ?? '').trim();
  if (!text || text.length > LABEL_MAX_CHARS) return undefined;
  const named = languageNamed(text);
  if (named !== undefined) return named;
  // A file name or pattern: "main.py", "src/app.ts", "*.js", ".py".
  const file = /^[\w.\-/*]*\.([a-z0-9+]+)$/i.exec(text);
  if (file) return languageOfFile(text) ?? languageNamed(file[1]);
  return undefined;
}

/** What an accessible label names: the whole label, or its one language word ("Python code"). */
export function languageOfLabel(raw) {
  const whole = languageOfHint(raw);
  if (whole !== undefined) return whole;
  const words = String(raw ?? '').toLowerCase().split(/[\s:,()·|-]+/).filter((w) => w && !FILLER.has(w));
  const named = words.map(languageOfHint).filter((lang) => lang !== undefined);
  return words.length <= 3 && named.length === 1 ? named[0] : undefined;
}

/** The language the block's header states, or undefined when it states none. */
export function headerLanguage(root, codeElement) {
  // Without a code element to leave out, the code's own words ("text", "json") would be read.
  if (!codeElement || codeElement === root || codeElement.contains(root)) return undefined;
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
    acceptNode: (el) => (el === codeElement || el.matches(`[data-code-runner], ${CHOICES}`) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let el = walker.currentNode; el; el = walker.nextNode()) {
    if (codeElement && el.contains(codeElement) && el !== root) continue; // a wrapper of the code
    const lang = elementLanguage(el, el === root);
    if (lang !== undefined) return lang;
  }
  return undefined;
}

function elementLanguage(el, isRoot) {
  const control = el.closest(CONTROL);
  const hints = [];
  for (const name of NAME_ATTRIBUTES) hints.push(languageOfHint(el.getAttribute(name)));
  if (!isRoot) hints.push(languageOfHint(ownText(el)));
  for (const name of LABEL_ATTRIBUTES) hints.push(languageOfLabel(el.getAttribute(name)));
  for (const lang of hints) {
    if (lang === undefined || (control && !isRunnable(lang))) continue;
    return lang;
  }
  return undefined;
}

function ownText(el) {
  let text = '';
  for (let node = el.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE) text += node.data;
  }
  return text.trim();
}
