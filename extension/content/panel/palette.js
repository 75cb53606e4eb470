// The panel's and the editor's colours, light and dark, in one place: the panel's CSS variables
// and the editor's themes are made from these, and tests/js/palette.test.mjs checks every pair
// that is drawn as text on a background (WCAG AA: 4.5:1 for text, 3:1 for UI parts).

export const PALETTE = Object.freeze({
  light: Object.freeze({
    bg: '#f7f7f8', // the panel
    fg: '#1f2328',
    muted: '#596069',
    border: '#848d97', // control borders: 3:1 against the panel
    rule: '#d0d7de', // separators between the panel's parts (decoration only)
    accent: '#0b6bcb',
    onAccent: '#ffffff', // text on an accent background (Run)
    control: '#ffffff', // buttons, menus, inputs
    hover: '#eaeef2',
    err: '#c62828',
    warn: '#8a5c00',
    ok: '#1a7f37',
    info: '#0b6bcb',
    ret: '#6f42c1',
    errBg: '#fff5f5', // the error box
    mark: 'rgba(207, 34, 46, 0.14)', // the failing line over the page's block (no text of ours)
    markEdge: '#cf222e',
    // The editor (CodeMirror): background, gutter, active line, selection, error line, syntax.
    editorBg: '#ffffff',
    gutterBg: '#f6f8fa',
    gutterFg: '#57606a',
    activeLine: '#f3f5f7',
    selection: '#e8f1ff',
    errorLine: '#fff0f0',
    keyword: '#cf222e',
    string: '#0a3069',
    number: '#0550ae',
    comment: '#57606a',
    function: '#6f3fcf',
    type: '#953800',
  }),
  dark: Object.freeze({
    bg: '#1e1f22',
    fg: '#e6edf3',
    muted: '#a3abb5',
    border: '#768390',
    rule: '#3d444d',
    accent: '#58a6ff',
    onAccent: '#0d1117',
    control: '#2b2d31',
    hover: '#33363c',
    err: '#ff7b72',
    warn: '#d29922',
    ok: '#3fb950',
    info: '#79c0ff',
    ret: '#d2a8ff',
    errBg: '#2a1f21',
    mark: 'rgba(255, 123, 114, 0.22)',
    markEdge: '#ff7b72',
    editorBg: '#17181b',
    gutterBg: '#17181b',
    gutterFg: '#9ea7b3',
    activeLine: '#24262b',
    selection: '#263a52',
    errorLine: '#3a2325',
    keyword: '#ff7b72',
    string: '#a5d6ff',
    number: '#79c0ff',
    comment: '#9ea7b3',
    function: '#d2a8ff',
    type: '#ffa657',
  }),
});

const TEXT_ON = {
  bg: ['fg', 'muted', 'accent', 'err', 'warn', 'ok', 'info', 'ret'],
  control: ['fg', 'muted', 'accent'],
  hover: ['fg'],
  accent: ['onAccent'],
  errBg: ['fg', 'err', 'muted'],
  editorBg: ['fg', 'keyword', 'string', 'number', 'comment', 'function', 'type'],
  activeLine: ['fg', 'keyword', 'string', 'number', 'comment', 'function', 'type'],
  errorLine: ['fg', 'keyword', 'string', 'number', 'comment', 'function', 'type'],
  selection: ['fg', 'keyword', 'string', 'number', 'comment', 'function', 'type'],
  gutterBg: ['gutterFg'],
};
const UI_ON = { bg: ['border', 'accent'], control: ['border'] };

/** [[theme, foreground name, background name, minimum ratio]] for every pair the panel draws. */
export function contrastPairs() {
  const pairs = [];
  for (const theme of Object.keys(PALETTE)) {
    for (const [bg, fgs] of Object.entries(TEXT_ON)) for (const fg of fgs) pairs.push([theme, fg, bg, 4.5]);
    for (const [bg, fgs] of Object.entries(UI_ON)) for (const fg of fgs) pairs.push([theme, fg, bg, 3]);
  }
  return pairs;
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrastRatio(a, b) {
  const [la, lb] = [a, b].map(relativeLuminance);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function relativeLuminance(hex) {
  const [r, g, b] = hex.match(/[\da-f]{2}/gi).map((x) => {
    const v = parseInt(x, 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
