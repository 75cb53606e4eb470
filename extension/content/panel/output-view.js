// The output area: chunks per stream, appended in order. Consecutive text of one stream is
// merged into one chunk (up to a size), so a flood of lines costs few DOM nodes.
const MERGE_LIMIT = 16 * 1024;
const TEXT_STREAMS = new Set(['stdout', 'stderr', 'log', 'info', 'warn', 'error', 'debug', 'return']);

export class OutputView {
  constructor(element) {
    this.element = element;
    this.last = null; // the chunk element text may be merged into
  }

  clear() {
    this.element.replaceChildren();
    this.last = null;
  }

  append(chunks) {
    const stick = this.isScrolledToBottom();
    for (const { stream, text } of chunks) {
      if (TEXT_STREAMS.has(stream)) this.appendText(stream, String(text));
      else if (stream === 'figure') this.appendFigure(text);
      else if (stream === 'table') this.appendTable(text);
    }
    if (stick) this.element.scrollTop = this.element.scrollHeight;
  }

  appendText(stream, text) {
    if (!text) return;
    const last = this.last;
    if (last && last.dataset.stream === stream && last.firstChild.length + text.length <= MERGE_LIMIT) {
      last.firstChild.appendData(text);
      return;
    }
    const chunk = document.createElement('span');
    chunk.dataset.stream = stream;
    chunk.appendChild(document.createTextNode(text)); // text only: program output is never HTML
    this.element.appendChild(chunk);
    this.last = chunk;
  }

  appendFigure(base64Png) {
    const chunk = document.createElement('div');
    chunk.dataset.stream = 'figure';
    const img = document.createElement('img');
    img.alt = 'Figure';
    const clean = String(base64Png).replace(/[^A-Za-z0-9+/=]/g, '');
    // A page whose CSP forbids data: images would block it: then draw the PNG on a canvas.
    img.addEventListener('error', () => drawOnCanvas(clean, img), { once: true });
    img.src = `data:image/png;base64,${clean}`;
    chunk.appendChild(img);
    this.element.appendChild(chunk);
    this.last = null;
  }

  appendTable(json) {
    let data;
    try {
      data = typeof json === 'string' ? JSON.parse(json) : json;
    } catch {
      this.appendText('error', 'Could not display a table: invalid data\n');
      return;
    }
    const chunk = document.createElement('div');
    chunk.dataset.stream = 'table';
    chunk.appendChild(buildTable(data));
    this.element.appendChild(chunk);
    this.last = null;
  }

  text() {
    return Array.from(this.element.querySelectorAll('[data-stream]'), (chunk) =>
      chunk.dataset.stream === 'figure' ? '[figure]\n' : chunk.textContent,
    ).join('');
  }

  isScrolledToBottom() {
    const el = this.element;
    return el.scrollHeight - el.scrollTop - el.clientHeight < 24;
  }
}

async function drawOnCanvas(base64Png, img) {
  try {
    const bytes = Uint8Array.from(atob(base64Png), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Figure');
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    img.replaceWith(canvas);
  } catch {
    img.alt = 'Figure (could not be displayed on this page)';
  }
}

// Tables are built cell by cell from data (never from HTML): {columns, rows, index?, truncated?}.
function buildTable({ columns = [], rows = [], index = null, truncated = false, shape = null }) {
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  if (index) head.appendChild(document.createElement('th'));
  for (const column of columns) {
    const th = document.createElement('th');
    th.textContent = String(column);
    head.appendChild(th);
  }
  const body = table.createTBody();
  rows.forEach((row, i) => {
    const tr = body.insertRow();
    if (index) {
      const th = document.createElement('th');
      th.textContent = String(index[i]);
      tr.appendChild(th);
    }
    for (const value of row) tr.insertCell().textContent = value === null ? 'NULL' : String(value); // SQL's NULL
  });
  if (truncated && shape) {
    const caption = table.createCaption();
    caption.textContent = `${shape[0]} rows × ${shape[1]} columns`;
  }
  return table;
}
