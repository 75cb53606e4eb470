// The output area: chunks per stream, appended in order. Consecutive text of one stream is
// merged into one chunk (up to a size), so a flood of lines costs few DOM nodes. Text between two
// figures or tables is one run that scrolls inside its own box (`.text-run`); figures and tables
// are never in a scrolling box of the output, so neither ever sits half hidden: figures show whole
// (scaled down to the panel, never up) with Save PNG and Enlarge; tables have their size, a sticky
// header, numbers right-aligned, Copy as CSV and Save CSV.
const MERGE_LIMIT = 16 * 1024;
const TEXT_STREAMS = new Set(['stdout', 'stderr', 'log', 'info', 'warn', 'error', 'debug', 'return']);
const EMPTY_CELLS = new Set(['', '...', 'NaN', 'nan', 'NA', '<NA>', 'NULL', 'None', 'NaT', 'null', 'inf', '-inf']);
const NUMBER = /^[-+]?(\d[\d,_]*(\.\d*)?|\.\d+)(e[-+]?\d+)?%?$/i;

export class OutputView {
  /** @param {HTMLElement} element  @param {{name(el), fileStem(): string, notify(text)}} panel */
  constructor(element, panel) {
    this.element = element;
    this.panel = panel;
    this.last = null; // the chunk element text may be merged into
    this.run = null; // the box of the text run being written
    this.figures = 0;
    this.tables = 0;
    this.following = 0; // the frame callback that scrolls a text run to its end
  }

  clear() {
    this.element.replaceChildren();
    this.last = null;
    this.run = null;
    this.figures = 0;
    this.tables = 0;
  }

  get empty() {
    return !this.element.firstChild;
  }

  append(chunks) {
    const run = this.run;
    // Read before writing (layout is still clean); a scroll already due follows the end anyway.
    const stick = run && !this.following && run.scrollHeight - run.scrollTop - run.clientHeight < 24;
    for (const { stream, text } of chunks) {
      if (TEXT_STREAMS.has(stream)) this.appendText(stream, String(text));
      else if (stream === 'figure') this.appendFigure(text);
      else if (stream === 'table') this.appendTable(text);
    }
    // A run being read further up stays where it is; one followed to its end keeps following.
    if (this.run && (stick || this.run !== run)) this.followEnd();
  }

  // Scrolled in the next frame's callbacks, where the frame lays out anyway: reading scrollHeight
  // right after writing would make the browser lay out the page once more, in the output's task.
  followEnd() {
    if (this.following) return;
    this.following = requestAnimationFrame(() => {
      this.following = 0;
      if (this.run) this.run.scrollTop = this.run.scrollHeight;
    });
  }

  appendText(stream, text) {
    if (!text) return;
    const last = this.last;
    if (last && last.dataset.stream === stream && last.firstChild.length + text.length <= MERGE_LIMIT) {
      last.firstChild.appendData(text);
      return;
    }
    if (!this.run) {
      this.run = document.createElement('div');
      this.run.className = 'text-run';
      this.run.tabIndex = 0; // it may scroll: reachable from the keyboard
      this.run.setAttribute('role', 'group');
      this.panel.name(this.run, 'Text output');
      this.element.appendChild(this.run);
    }
    const chunk = document.createElement('span');
    chunk.dataset.stream = stream;
    chunk.appendChild(document.createTextNode(text)); // text only: program output is never HTML
    this.run.appendChild(chunk);
    this.last = chunk;
  }

  /** A figure or a table ends the text run before it. */
  endRun() {
    this.last = null;
    this.run = null;
  }

  appendFigure(base64Png) {
    const n = ++this.figures;
    const chunk = document.createElement('figure');
    chunk.dataset.stream = 'figure';
    chunk.dataset.n = String(n);
    const img = document.createElement('img');
    img.alt = `Figure ${n}`;
    const clean = String(base64Png).replace(/[^A-Za-z0-9+/=]/g, '');
    chunk.png = clean;
    // A page whose CSP forbids data: images would block it: then draw the PNG on a canvas.
    img.addEventListener('error', () => drawOnCanvas(clean, img, n), { once: true });
    img.src = `data:image/png;base64,${clean}`;
    chunk.append(img, toolbar([['enlarge', 'Enlarge'], ['save-png', 'Save PNG']], this.panel));
    this.element.appendChild(chunk);
    this.endRun();
  }

  appendTable(json) {
    let data;
    try {
      data = typeof json === 'string' ? JSON.parse(json) : json;
    } catch {
      this.appendText('error', 'Could not display a table: invalid data\n');
      return;
    }
    const n = ++this.tables;
    const chunk = document.createElement('div');
    chunk.dataset.stream = 'table';
    chunk.dataset.n = String(n);
    const table = buildTable(data);
    const scroll = document.createElement('div');
    scroll.className = 'tscroll';
    scroll.tabIndex = 0; // a scrolling region is reachable from the keyboard
    scroll.setAttribute('role', 'group');
    scroll.appendChild(table);
    const bar = toolbar([['copy-csv', 'Copy as CSV'], ['save-csv', 'Save CSV']], this.panel);
    const shape = document.createElement('span');
    shape.className = 'shape';
    shape.textContent = shapeText(data);
    bar.prepend(shape);
    chunk.append(bar, scroll);
    chunk.table = table;
    this.element.appendChild(chunk);
    this.panel.name(scroll, `Table ${n}`);
    this.endRun();
  }

  text() {
    return Array.from(this.element.querySelectorAll('[data-stream]'), (chunk) => {
      if (chunk.dataset.stream === 'figure') return '[figure]\n';
      if (chunk.dataset.stream === 'table') return tableCsv(chunk.table);
      return chunk.textContent;
    }).join('');
  }

  /** A figure's or a table's own buttons (trusted clicks only, through the panel). */
  act(action, button) {
    const chunk = button.closest('[data-stream]');
    if (!chunk) return false;
    const stem = `${this.panel.fileStem()}-${chunk.dataset.stream}-${chunk.dataset.n}`;
    if (action === 'enlarge') this.panel.enlarge(chunk);
    else if (action === 'save-png') download(pngBlob(chunk.png), `${stem}.png`);
    else if (action === 'save-csv') download(new Blob([tableCsv(chunk.table)], { type: 'text/csv' }), `${stem}.csv`);
    else if (action === 'copy-csv') this.panel.copyText(tableCsv(chunk.table), button);
    else return false;
    return true;
  }
}

function toolbar(buttons, panel) {
  const bar = document.createElement('div');
  bar.className = 'chunkbar';
  for (const [action, label] of buttons) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.action = action;
    button.textContent = label;
    if (action === 'copy-csv') swapLabels(button, [label, 'Copied', 'Failed']);
    bar.appendChild(button);
    panel.name(button, label);
  }
  return bar;
}

/** Labels stacked in one grid cell: the button is as wide as the longest, so swapping them
 *  ("Copy" -> "Copied") never moves anything. */
export function swapLabels(button, labels) {
  button.textContent = '';
  button.classList.add('swap');
  labels.forEach((label, i) => {
    const span = document.createElement('span');
    span.textContent = label;
    if (i) span.setAttribute('aria-hidden', 'true');
    button.appendChild(span);
  });
  button.dataset.shown = '0';
}

function shapeText({ shape = null, rows = [], columns = [], truncated = false }) {
  const [r, c] = shape || [rows.length, columns.length];
  const size = `${r} ${r === 1 ? 'row' : 'rows'} × ${c} ${c === 1 ? 'column' : 'columns'}`;
  return truncated ? `${size} (part shown)` : size;
}

function pngBlob(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: 'image/png' });
}

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.appendChild(a); // outside our shadow root: some pages need it in the document
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function drawOnCanvas(base64Png, img, n) {
  try {
    const bitmap = await createImageBitmap(pngBlob(base64Png));
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `Figure ${n}`);
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    img.replaceWith(canvas);
  } catch {
    img.alt = `Figure ${n} (could not be displayed on this page)`;
  }
}

// Tables are built cell by cell from data (never from HTML): {columns, rows, index?, truncated?}.
function buildTable({ columns = [], rows = [], index = null, truncated = false, shape = null }) {
  const table = document.createElement('table');
  const numeric = columns.map((_, c) => isNumericColumn(rows, c));
  const head = table.createTHead().insertRow();
  if (index) {
    const corner = document.createElement('th');
    corner.scope = 'col';
    head.appendChild(corner);
  }
  columns.forEach((column, c) => {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = String(column);
    if (numeric[c]) th.className = 'num';
    head.appendChild(th);
  });
  const body = table.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    if (index) {
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(index[i]);
      tr.appendChild(th);
    }
    row.forEach((value, c) => {
      const td = tr.insertCell();
      td.textContent = value === null ? 'NULL' : String(value); // SQL's NULL
      if (numeric[c]) td.className = 'num';
    });
  });
  if (truncated && shape) {
    const caption = table.createCaption();
    caption.textContent = `${shape[0]} rows × ${shape[1]} columns`;
  }
  return table;
}

function isNumericColumn(rows, c) {
  let seen = false;
  for (const row of rows) {
    const value = row[c];
    if (value === null || value === undefined) continue;
    if (typeof value === 'number') {
      seen = true;
      continue;
    }
    const text = String(value).trim();
    if (EMPTY_CELLS.has(text)) continue;
    if (!NUMBER.test(text)) return false;
    seen = true;
  }
  return seen;
}

/** The table as shown, as CSV (RFC 4180): the header row, then each row with its index. */
export function tableCsv(table) {
  const quote = (text) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return Array.from(table.querySelectorAll('tr'), (tr) => Array.from(tr.cells, (cell) => quote(cell.textContent)).join(','))
    .join('\r\n') + '\r\n';
}
