// Dark or light, as the page looks around the block: the first opaque background up the tree.
export function detectTheme(element) {
  for (let el = element; el && el.nodeType === Node.ELEMENT_NODE; el = el.parentElement) {
    const rgba = parseColor(getComputedStyle(el).backgroundColor);
    if (rgba && rgba[3] > 0.5) return luminance(rgba) < 0.45 ? 'dark' : 'light';
  }
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
