// Dark or light, as the page looks around the block: the first opaque background up the tree.
// `memo` (a Map shared by one batch of panels) keeps each ancestor's answer.
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

function pageTheme() {
  const root = document.documentElement;
  if (root.classList.contains('dark') || /dark/.test(getComputedStyle(root).colorScheme)) return 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
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
