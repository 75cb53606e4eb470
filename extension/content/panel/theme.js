// Dark or light, as the page looks around the block: the first opaque background up the tree,
// else what the page declares (a dark class or attribute on <html>/<body>, its color-scheme, the
// system preference). `memo` (a Map shared by one batch of panels) keeps each ancestor's answer.
// watchTheme() follows the page live: a theme switch on <html>/<body> or in the system setting.
export function detectTheme(element, memo = new Map()) {
  const visited = [];
  let theme = null;
  for (let el = element; el && el.nodeType === Node.ELEMENT_NODE; el = el.parentElement) {
    if (memo.has(el)) {
      theme = memo.get(el);
      break;
    }
    visited.push(el);
    const rgba = parseColor(getComputedStyle(el).backgroundColor);
    if (rgba && rgba[3] > 0.5) {
      theme = luminance(rgba) < 0.45 ? 'dark' : 'light';
      break;
    }
  }
  theme = theme || pageTheme();
  for (const el of visited) memo.set(el, theme);
  return theme;
}

const DARK_WORD = /(^|[\s_-])dark([\s_-]|$)/i;
const LIGHT_WORD = /(^|[\s_-])light([\s_-]|$)/i;
const THEME_ATTRIBUTES = ['data-theme', 'data-mode', 'data-color-mode', 'data-color-scheme', 'data-bs-theme', 'theme'];

export function pageTheme() {
  for (const el of [document.documentElement, document.body]) {
    if (!el) continue;
    const declared = [el.className, ...THEME_ATTRIBUTES.map((name) => el.getAttribute(name) || '')].join(' ');
    if (DARK_WORD.test(declared)) return 'dark';
    if (LIGHT_WORD.test(declared)) return 'light';
  }
  const scheme = getComputedStyle(document.documentElement).colorScheme || '';
  const dark = /\bdark\b/.test(scheme);
  const light = /\blight\b/.test(scheme);
  if (dark && !light) return 'dark';
  if (light && !dark) return 'light';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Call `onChange()` (once per frame at most) whenever the page may have switched theme: a class,
 * style or theme attribute on <html> or <body>, or the system's light/dark setting.
 * Returns a function that stops watching.
 */
export function watchTheme(onChange) {
  let frame = 0;
  const changed = () => {
    if (!frame) frame = requestAnimationFrame(() => {
      frame = 0;
      onChange();
    });
  };
  const observer = new MutationObserver(changed);
  const options = { attributes: true, attributeFilter: ['class', 'style', ...THEME_ATTRIBUTES] };
  observer.observe(document.documentElement, options);
  if (document.body) observer.observe(document.body, options);
  const media = matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', changed);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', changed);
    cancelAnimationFrame(frame);
  };
}

function parseColor(value) {
  const match = /rgba?\(([^)]+)\)/.exec(value || '');
  if (!match) return null;
  const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

function luminance([r, g, b]) {
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
