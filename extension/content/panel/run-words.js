// What the panel says about a run, in words: its state, its durations, where its error is and
// the message "Ask the chat to fix it" writes. Pure functions of the runner's output (no DOM), so
// node tests read them directly (tests/js/run-words.test.mjs).

const FINAL_WORDS = {
  success: 'Done',
  error: 'Error',
  timeout: 'Time limit reached',
  stopped: 'Stopped',
};

/** "8 ms", "1.25 s", "12.3 s". */
export function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

// Loading shorter than this is not worth a mention after "Done".
const LOAD_SHOWN_MS = 20;

/**
 * The status line for `state`: "Ready", "Loading Python… 2.1 s", "Running 1.2 s", "Waiting for
 * input", "Done · 8 ms · loading 3.2 s", "Error · 12 ms", "Time limit reached", "Stopped".
 * `elapsedMs`: time in the current busy state; `result`: the final {durationMs, loadMs}.
 */
export function statusWords(state, { label = '', elapsedMs = null, result = null } = {}) {
  const clock = elapsedMs == null ? '' : ` ${(elapsedMs / 1000).toFixed(1)} s`;
  switch (state) {
    case 'idle':
      return 'Ready';
    case 'loading':
      return `Loading ${label}…${clock}`;
    case 'running':
      return `Running${clock}`;
    case 'awaiting-input':
      return 'Waiting for input';
    default: {
      const words = FINAL_WORDS[state] || state;
      if (!result || (state !== 'success' && state !== 'error')) return words;
      const load = result.loadMs >= LOAD_SHOWN_MS ? ` · loading ${formatDuration(result.loadMs)}` : '';
      return `${words} · ${formatDuration(result.durationMs || 0)}${load}`;
    }
  }
}

// --------------------------------------------------------------------------- errors

const PY_FRAME = /^ *File "<block>", line (\d+)/;
const CARETS = /^ *[~^]+ *$/;

/**
 * Where the error in a run's `error` text happened, in the lines of the block as shown (the
 * runners add the marker's lines): {line, column?, width?} (column 1-based in that line), or null.
 * `lineText(n)` gives line n of the code as run, to place a caret CPython printed under the
 * stripped line. Python: the innermost `File "<block>"` frame; JavaScript: the first `at line L:C`
 * frame or a SyntaxError's "(line L, column C)"; SQL: "at line L" and psql's caret.
 */
export function errorLocation(text, lineText = () => null) {
  const lines = String(text || '').split('\n');
  let frame = -1;
  lines.forEach((line, i) => {
    if (PY_FRAME.test(line)) frame = i;
  });
  if (frame >= 0) return pythonLocation(lines, frame, lineText);
  const js = /\bat (?:[^\n(]*\()?line (\d+):(\d+)\)?\s*$/m.exec(text);
  if (js) return { line: Number(js[1]), column: Number(js[2]), width: null };
  const syntax = /\(line (\d+), column (\d+)\)/.exec(text);
  if (syntax) return { line: Number(syntax[1]), column: Number(syntax[2]), width: null };
  const sql = /\bat line (\d+):/.exec(text);
  if (sql) {
    const line = Number(sql[1]);
    const where = lines.findIndex((l) => /^LINE \d+: /.test(l));
    if (where >= 0 && /^ *\^$/.test(lines[where + 1] || '')) {
      const label = /^LINE (\d+): /.exec(lines[where]);
      return { line: Number(label[1]), column: lines[where + 1].indexOf('^') - label[0].length + 1, width: 1 };
    }
    return { line, column: null, width: null };
  }
  return null;
}

function pythonLocation(lines, frame, lineText) {
  const line = Number(PY_FRAME.exec(lines[frame])[1]);
  const shown = lines[frame + 1];
  const carets = lines[frame + 2];
  const source = lineText(line);
  if (shown == null || !/^ {4}\S/.test(shown) || carets == null || !CARETS.test(carets) || source == null) {
    return { line, column: null, width: null };
  }
  // CPython prints the line stripped, indented by 4, and the carets under that.
  const indent = source.length - source.trimStart().length;
  const from = carets.search(/[~^]/);
  const to = carets.trimEnd().length;
  return { line, column: indent + from - 4 + 1, width: Math.max(1, to - from) };
}

const ERROR_START = /^(Traceback \(most recent call last\)|Uncaught |Error in statement \d+ |SyntaxError: |Error(?: in .*?)? ?: )/gm;

/** The last error in an `error` stream that may also hold what the program wrote there itself
 *  (console.error, an earlier exception it printed): from the last line that starts one. */
export function errorPart(text) {
  const source = String(text || '');
  // A Python traceback starts with "Traceback" (a SyntaxError's has no such line: all of it).
  const starts = source.includes('File "<block>"') ? /^Traceback \(most recent call last\)/gm : ERROR_START;
  let start = 0;
  for (const match of source.matchAll(starts)) start = match.index;
  return source.slice(start);
}

/** The line that says what went wrong: CPython's last line, Node's first, psql's message. */
export function errorSummary(text) {
  const lines = String(text || '').split('\n').filter((l) => l.trim());
  if (!lines.length) return '';
  if (lines.some((l) => PY_FRAME.test(l) || l.startsWith('Traceback'))) {
    return [...lines].reverse().find((l) => !/^\s/.test(l) && !l.startsWith('Traceback')) || lines.at(-1);
  }
  if (/^Error in statement \d+/.test(lines[0]) && lines[1]) return lines[1];
  return lines[0];
}

/**
 * The failing line with the one before it and a caret under the spot, as a terminal shows it:
 * [{number, text, current}] plus `caret` ("      ^^^" under the current line's text), or null.
 * `code` is the code as run; its line 1 is the block's line `lineOffset + 1`.
 */
export function sourceExcerpt(code, location, lineOffset = 0) {
  if (!location) return null;
  const lines = String(code).split('\n');
  const index = location.line - 1 - lineOffset;
  if (index < 0 || index >= lines.length) return null;
  const rows = [];
  if (index > 0) rows.push({ number: location.line - 1, text: lines[index - 1], current: false });
  rows.push({ number: location.line, text: lines[index], current: true });
  const text = lines[index];
  let from;
  let width;
  if (location.column) {
    from = Math.min(location.column - 1, text.length);
    width = location.width || 1;
  } else {
    // No column: underline the whole statement, as CPython does for a plain line.
    from = text.length - text.trimStart().length;
    width = Math.max(1, text.trim().length);
  }
  return { rows, caret: ' '.repeat(from) + '^'.repeat(width) };
}

const ASK_TRACE_LINES = 6;
const ASK_LINE_CHARS = 200;

/**
 * The message "Ask the chat to fix it" writes into the chat's message box (never sent): which
 * code (its title, else its first line), the error and the traceback's last lines.
 */
export function askMessage({ label, title, code, errorText, location }) {
  const first = String(code || '').split('\n').find((l) => l.trim()) || '';
  const which = title ? `"${title}"` : `starting \`${clip(first.trim(), 60)}\``;
  const where = location ? ` at line ${location.line}` : '';
  const trace = String(errorText || '').trimEnd().split('\n').slice(-ASK_TRACE_LINES).map((l) => clip(l, ASK_LINE_CHARS));
  return [
    `My ${label} code ${which} fails${where} with this error:`,
    '',
    ...trace,
    '',
    'Can you fix it?',
  ].join('\n');
}

function clip(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
