// Styles of the Run panel, scoped by its shadow root: page CSS cannot reach in, ours cannot leak.
// Colours come from palette.js (checked for WCAG AA contrast by tests/js/palette.test.mjs).
import { PALETTE } from './palette.js';

const vars = (colors) => Object.entries(colors).map(([name, value]) => `--${name}: ${value};`).join(' ');
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';

export const PANEL_CSS = `
:host { all: initial !important; display: block !important; margin: 6px 0 12px !important;
  contain: content !important; visibility: visible !important; opacity: 1 !important; ${vars(PALETTE.light)} }
:host([data-theme="dark"]) { ${vars(PALETTE.dark)} }
/* A failing line marked over the page's block: the mark is drawn outside the panel's own box. */
:host([data-mark]) { contain: layout style !important; }
.panel { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  text-align: left; letter-spacing: normal; text-transform: none; background: var(--bg);
  border: 1px solid var(--rule); border-radius: 8px; overflow: hidden; color-scheme: light; }
:host([data-theme="dark"]) .panel { color-scheme: dark; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }

/* The bar: one row, whatever the width (the title and the status give way). */
.bar { display: flex; flex-wrap: nowrap; align-items: center; gap: 6px; padding: 4px 6px 4px 8px; min-height: 28px; }
.title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; flex: 0 1 auto; }
.title:empty { display: none; }
.status { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; min-width: 0; flex: 0 1 auto; }
:host([data-shown="idle"]) .status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
:host([data-shown="success"]) .status { color: var(--ok); }
:host([data-shown="error"]) .status, :host([data-shown="timeout"]) .status { color: var(--err); }
.spacer { flex: 1 1 0; min-width: 0; }
.edited { color: var(--warn); font-size: 12px; border: 1px solid var(--border); border-radius: 10px; padding: 0 6px; flex: none; }
.kbd { font: 11px/1.6 ${MONO}; color: var(--muted); border: 1px solid var(--rule); border-radius: 4px;
  padding: 0 4px; white-space: nowrap; flex: none; }
:host([data-ran]) .kbd { display: none; }
:host(:not([data-ran])) [data-action="copy"] { display: none; }
.spin { width: 10px; height: 10px; border: 2px solid var(--rule); border-top-color: var(--accent);
  border-radius: 50%; flex: none; animation: spin .8s linear infinite; display: none; }
:host([data-shown="loading"]) .spin, :host([data-shown="running"]) .spin { display: inline-block; }
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spin { animation-duration: 3s; } }

select, button, input, textarea { font: inherit; color: var(--fg); }
select { background: var(--control); border: 1px solid var(--border); border-radius: 6px; padding: 1px 2px;
  font-size: 12px; flex: none; max-width: 9.5em; }
button { background: var(--control); border: 1px solid var(--border); border-radius: 6px; padding: 2px 10px;
  cursor: pointer; flex: none; white-space: nowrap; }
button:hover:not(:disabled) { border-color: var(--accent); background: var(--hover); }
button:focus-visible, select:focus-visible, textarea:focus-visible, input:focus-visible,
[tabindex]:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
button:disabled { opacity: .45; cursor: default; }
button.primary { background: var(--accent); color: var(--onAccent); border-color: var(--accent); font-weight: 600; }
button.primary:hover:not(:disabled) { background: var(--accent); filter: brightness(1.08); }
button.more { padding: 2px 8px; letter-spacing: 1px; }
button.link { background: none; border: none; padding: 0 2px; color: var(--accent); text-decoration: underline; }
.swap { display: inline-grid; }
.swap > span { grid-area: 1 / 1; visibility: hidden; justify-self: center; }
.swap[data-shown="0"] > span:nth-child(1), .swap[data-shown="1"] > span:nth-child(2),
.swap[data-shown="2"] > span:nth-child(3) { visibility: visible; }

/* Loading: the step, a bar and its percentage. */
.progress { display: flex; align-items: center; gap: 8px; padding: 4px 8px 6px; font-size: 12px; color: var(--muted); }
.ptext { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; flex: 0 1 auto; }
.pbar { flex: 1 1 80px; height: 6px; border-radius: 3px; background: var(--rule); overflow: hidden; min-width: 60px; }
.fill { display: block; height: 100%; width: 0; background: var(--accent); transition: width .2s; }
.pbar.indeterminate .fill { width: 30%; animation: slide 1.2s ease-in-out infinite; }
@keyframes slide { from { transform: translateX(-100%); } to { transform: translateX(340%); } }
.pct { font-variant-numeric: tabular-nums; min-width: 3.2em; text-align: right; }

.editor { border-top: 1px solid var(--rule); padding: 6px 8px; }
.editor textarea { width: 100%; box-sizing: border-box; min-height: 8em; resize: vertical; tab-size: 4;
  font: 12.5px/1.5 ${MONO}; background: var(--editorBg); border: 1px solid var(--border); border-radius: 6px; padding: 6px; }
.hint { color: var(--muted); font-size: 12px; }
[data-role="history"] { border-top: 1px solid var(--rule); margin: 0; padding: 6px 8px 6px 28px; max-height: 220px;
  overflow: auto; font-size: 12px; color: var(--muted); }
[data-role="history"] pre { margin: 2px 0 6px; white-space: pre-wrap; color: var(--fg); font: 12px/1.4 ${MONO}; }
.notice-row { display: flex; align-items: baseline; gap: 8px; border-top: 1px solid var(--rule); padding: 4px 8px; font-size: 12px; }
[data-role="notice"] { color: var(--warn); flex: 1; min-width: 0; }
[data-role="notice"]:empty { display: none; }

/* Output: each run of text scrolls in its own box; figures and tables are never cut. */
[data-role="output"] { border-top: 1px solid var(--rule); margin: 0; padding: 6px 8px; font: 12.5px/1.45 ${MONO}; }
.text-run { max-height: 360px; overflow: auto; white-space: pre-wrap; word-break: break-word; }
[data-role="output"]:empty { display: none; }
[data-role="output"][data-trace="folded"] [data-stream="error"] { display: none; }
[data-role="output"][data-trace="folded"] .text-run:not(:has(:not([data-stream="error"]))) { display: none; }
[data-stream="stderr"], [data-stream="error"] { color: var(--err); }
[data-stream="warn"] { color: var(--warn); }
[data-stream="info"] { color: var(--info); }
[data-stream="debug"] { color: var(--muted); }
[data-stream="return"] { color: var(--ret); }
figure[data-stream="figure"] { display: block; margin: 6px 0; white-space: normal; }
figure[data-stream="figure"] img, figure[data-stream="figure"] canvas { display: block; max-width: 100%;
  height: auto; max-height: calc(85vh - 60px); object-fit: contain; background: #fff; cursor: zoom-in; }
.chunkbar { display: flex; align-items: center; gap: 6px; margin: 4px 0; font: 12px/1.4 system-ui, sans-serif;
  max-width: 100%; }
.chunkbar button { font-size: 12px; padding: 1px 8px; }
.shape { color: var(--muted); margin-right: auto; }
[data-stream="table"] { display: block; margin: 6px 0; white-space: normal; width: fit-content; max-width: 100%; }
.tscroll { max-height: 320px; overflow: auto; border: 1px solid var(--rule); border-radius: 4px;
  width: fit-content; max-width: 100%; box-sizing: border-box; }
table { border-collapse: separate; border-spacing: 0; font-size: 12px; }
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
th, td { border-bottom: 1px solid var(--rule); padding: 2px 8px; text-align: left; white-space: pre; }
thead th { position: sticky; top: 0; z-index: 1; background: var(--hover); font-weight: 600; }
tbody th { font-weight: 600; background: var(--bg); }
.num { text-align: right; font-variant-numeric: tabular-nums; }

/* An error you can act on: what went wrong, the failing line with a caret, what to do. */
.errbox { border-top: 1px solid var(--rule); background: var(--errBg); padding: 6px 8px; }
.errsum { color: var(--err); font-weight: 600; font-family: ${MONO}; font-size: 12.5px; word-break: break-word; }
.excerpt { margin: 4px 0; font: 12.5px/1.45 ${MONO}; white-space: pre; overflow-x: auto; color: var(--fg); }
.excerpt .ctx { color: var(--muted); }
.excerpt .cur { font-weight: 600; }
.excerpt .caret { color: var(--err); font-weight: 600; }
.erractions { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; }
.line-mark { position: absolute; pointer-events: none; box-sizing: border-box; background: var(--mark);
  border-left: 3px solid var(--markEdge); z-index: 2; }

/* The overflow menu: a popover in the top layer, under its button. */
[data-action="more"] { anchor-name: --chatrun-more; }
.menu { position: fixed; position-anchor: --chatrun-more; inset: auto; top: anchor(bottom); right: anchor(right);
  margin: 4px 0; position-try-fallbacks: flip-block; min-width: 200px; padding: 4px; box-sizing: border-box;
  background: var(--control); color: var(--fg); border: 1px solid var(--border); border-radius: 8px;
  box-shadow: 0 6px 24px rgba(0, 0, 0, .25); font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.menu button { display: block; width: 100%; text-align: left; border: 0; border-radius: 4px; padding: 5px 10px; background: transparent; }
.menu button:hover, .menu button:focus-visible { background: var(--hover); outline-offset: -2px; }

/* A figure, enlarged. */
.viewer { padding: 0; border: 1px solid var(--border); border-radius: 8px; background: var(--bg); color: var(--fg);
  max-width: 96vw; max-height: 94vh; }
.viewer::backdrop { background: rgba(0, 0, 0, .7); }
.viewer .view img, .viewer .view canvas { display: block; max-width: 94vw; max-height: calc(94vh - 44px); background: #fff; }
.viewer [data-action="close-viewer"] { margin: 6px; float: right; }

form[data-role="input-form"] { display: flex; gap: 6px; padding: 6px 8px; border-top: 1px solid var(--rule); }
form[data-role="input-form"] input { flex: 1; background: var(--control); border: 1px solid var(--border);
  border-radius: 6px; padding: 3px 6px; }
`;
