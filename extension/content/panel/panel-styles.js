// Styles of the Run panel, scoped by its shadow root: page CSS cannot reach in, ours cannot leak.
export const PANEL_CSS = `
:host { all: initial !important; display: block !important; margin: 6px 0 12px !important;
  contain: content !important; visibility: visible !important; opacity: 1 !important;
  --bg: #f7f7f8; --fg: #1f2328; --muted: #636c76; --border: #d0d7de; --accent: #0b6bcb;
  --btn-bg: #ffffff; --err: #c62828; --warn: #9a6700; --ok: #1a7f37; --info: #0b6bcb; --ret: #6f42c1; }
:host([data-theme="dark"]) { --bg: #1e1f22; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d;
  --accent: #58a6ff; --btn-bg: #2b2d31; --err: #ff7b72; --warn: #d29922; --ok: #3fb950; --info: #79c0ff; --ret: #d2a8ff; }
.panel { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  text-align: left; letter-spacing: normal; text-transform: none; background: var(--bg); border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 8px; }
.title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 40%; }
.spacer { flex: 1; }
.edited { color: var(--warn); font-size: 12px; border: 1px solid var(--border); border-radius: 10px; padding: 0 6px; }
select, button, input, textarea { font: inherit; color: var(--fg); }
select { background: var(--btn-bg); border: 1px solid var(--border); border-radius: 6px; padding: 2px 4px; }
button { background: var(--btn-bg); border: 1px solid var(--border); border-radius: 6px; padding: 3px 10px;
  cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:focus-visible, select:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 2px solid var(--accent); outline-offset: 1px; }
button:disabled { opacity: .45; cursor: default; }
button[data-action="run"] { background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
[data-role="status"] { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
:host([data-state="success"]) [data-role="status"] { color: var(--ok); }
:host([data-state="error"]) [data-role="status"], :host([data-state="timeout"]) [data-role="status"] { color: var(--err); }
.editor { border-top: 1px solid var(--border); padding: 6px 8px; }
.editor textarea { width: 100%; box-sizing: border-box; min-height: 8em; resize: vertical; tab-size: 4;
  font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--btn-bg);
  border: 1px solid var(--border); border-radius: 6px; padding: 6px; }
.hint { color: var(--muted); font-size: 12px; }
[data-role="history"] { border-top: 1px solid var(--border); margin: 0; padding: 6px 8px 6px 28px; max-height: 220px;
  overflow: auto; font-size: 12px; color: var(--muted); }
[data-role="history"] pre { margin: 2px 0 6px; white-space: pre-wrap; color: var(--fg);
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
[data-role="notice"] { border-top: 1px solid var(--border); padding: 4px 8px; color: var(--warn); font-size: 12px; }
[data-role="output"] { border-top: 1px solid var(--border); margin: 0; padding: 6px 8px; max-height: 360px;
  overflow: auto; white-space: pre-wrap; word-break: break-word;
  font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
[data-role="output"]:empty { display: none; }
[data-stream="stderr"], [data-stream="error"] { color: var(--err); }
[data-stream="warn"] { color: var(--warn); }
[data-stream="info"] { color: var(--info); }
[data-stream="debug"] { color: var(--muted); }
[data-stream="return"] { color: var(--ret); }
[data-stream="figure"] { display: block; margin: 4px 0; }
[data-stream="figure"] img, [data-stream="figure"] canvas { max-width: 100%; background: #fff; }
[data-stream="table"] { display: block; overflow: auto; margin: 4px 0; }
table { border-collapse: collapse; font-size: 12px; }
th, td { border: 1px solid var(--border); padding: 2px 6px; text-align: right; }
form[data-role="input-form"] { display: flex; gap: 6px; padding: 6px 8px; border-top: 1px solid var(--border); }
form[data-role="input-form"] input { flex: 1; background: var(--btn-bg); border: 1px solid var(--border);
  border-radius: 6px; padding: 3px 6px; }
[hidden] { display: none !important; }
`;
