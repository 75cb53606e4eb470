// What Chatrun's SQL workers share. Each database (SQLite or PostgreSQL compiled to WebAssembly)
// lives in its own extension-origin module worker, one per conversation and dialect (a kernel:
// sql-kernel.js on the host side). A dialect's worker module (sqlite-worker.js, pglite-worker.js)
// is its engine; this module is the rest: the protocol, loading behind a vendor-only fetch, the
// confined global scope, running a block statement by statement and turning each statement's
// result into the panel's chunks.
//
// Protocol (shared/protocol.js), over the private port the host's first {cmd:'connect'} hands over:
//   init   {interruptBuffer?: SharedArrayBuffer(4+), loadTimeoutMs=60000, ...engine options}
//          events {type:'progress', text}; result {version, loadMs, ...what the engine adds}
//   run    {code, lineOffset=0, maxOutput=0 (chars, 0 = no cap)}
//          events {type:'state', state:'running'} then {type:'output', chunks:[{stream, text}]}:
//                 a result set is a `table` chunk (JSON {columns, rows, truncated, shape}), any
//                 other statement "N rows affected" on stdout (or the `text` it printed, such as
//                 COPY ... TO STDOUT's), notices on `info`, the failing statement an `error`
//          result {status:'success'|'error'|'stopped', durationMs, truncated}
//   unload {}  -> {} then the worker closes itself (frees the database)
// interruptBuffer: Int32Array[0] = 1 stops the run at the next statement (SQLite: or the next
// batch of rows); a statement that never yields is the host's to end, by terminating the worker.
//
// An engine: {label, vendor (its directory, relative to this file), load({vendorURL, payload,
// progress}) -> {version, ...}, rollback() -> whether a transaction was open (and is no more),
// statements(code, {maxRows}) -> (async) iterable of
// {columns: [name] | null, rows: [[scalar]], rowCount, changes, text?, notices?}, throwing a
// StatementError (with its `notices`, if any) for the statement that failed}.
import { SQL_RUNNER_GLOBALS, confineGlobalScope, explainedStubs } from '../shared/worker-scope.js';
import { CMD, EVENT, STATE, STATUS, serveOnConnect } from '../shared/protocol.js';
import { lineEnd, lineOf, skipTrivia } from './sql-text.js';

const TABLE_MAX_ROWS = 1000; // rows a result set shows; the caption gives the real count
const CELL_MAX_CHARS = 10_000;
const HEAD_MAX_CHARS = 200; // of the failing statement, in its error
const OUTPUT_INTERVAL_MS = 50;
const INTERRUPT_EVERY_ROWS = 512;

// Captured before the scope is confined: only this module holds them.
const privateFetch = globalThis.fetch.bind(globalThis);
const closeWorker = globalThis.close.bind(globalThis);
const ORIGIN = globalThis.location.origin;
const SELF_URL = globalThis.location.href;
const now = () => performance.now();

/** The statement that failed: where it starts in the block, why, and where exactly (if known). */
export class StatementError extends Error {
  constructor(start, message, { position = null, end = null } = {}) {
    super(message);
    this.start = start;
    this.end = end; // where the statement ends, when known
    this.position = position; // offset in the block of what the engine points at
  }
}

/** Stop was pressed (or the time limit hit): the run ends between statements or rows. */
export class Interrupted extends Error {}

// "Error in statement 2 at line 5: INSERT INTO users VALUES (1, 'Ada');" then the engine's
// message; when the engine says where, the line it means and a caret under the spot (as psql).
function describeError(code, index, error, lineOffset) {
  const start = skipTrivia(code, error.start);
  const head = code.slice(start, Math.min(lineEnd(code, start), error.end ?? Infinity, start + HEAD_MAX_CHARS));
  const lines = [`Error in statement ${index} at line ${lineOffset + lineOf(code, start)}: ${head}`, error.message];
  if (error.position !== null && error.position >= start && error.position <= code.length) {
    const from = code.lastIndexOf('\n', error.position - 1) + 1;
    const label = `LINE ${lineOffset + lineOf(code, error.position)}: `;
    lines.push(label + code.slice(from, lineEnd(code, from)), ' '.repeat(label.length + error.position - from) + '^');
  }
  return lines.join('\n') + '\n';
}

// --------------------------------------------------------------------------- output

let current = null; // the run in progress

function out(stream, text) {
  const run = current;
  if (!run || !text) return;
  if (run.max && stream !== 'error' && run.size + text.length > run.max) {
    run.truncated = true;
    return;
  }
  run.size += text.length;
  const last = run.chunks[run.chunks.length - 1];
  if (last && last.stream === stream && stream === 'stdout') last.text += text;
  else run.chunks.push({ stream, text });
  // A synchronous engine holds the event loop for the whole block: post from here when the last
  // post is old enough, not from a timer.
  if (now() - run.lastPost >= OUTPUT_INTERVAL_MS) flush(run);
}

function flush(run = current) {
  if (!run || !run.chunks.length) return;
  run.emit({ type: EVENT.output, chunks: run.chunks });
  run.chunks = [];
  run.lastPost = now();
}

const cell = (value) => (typeof value === 'string' && value.length > CELL_MAX_CHARS
  ? `${value.slice(0, CELL_MAX_CHARS - 1)}…` : value);

// A result set as the panel's table chunk. Past the row limit, or when the run's output budget
// cannot hold all the rows shown, the table says how many rows and columns there really are.
function outTable({ columns, rows, rowCount }) {
  const shape = [rowCount, columns.length];
  const table = (n) => JSON.stringify({
    columns, rows: rows.slice(0, n).map((row) => row.map(cell)), truncated: n < rowCount, shape,
  });
  let text = table(rows.length);
  const room = current.max ? current.max - current.size : Infinity;
  if (text.length > room) {
    let [fits, fails] = [-1, rows.length]; // binary search: the most rows whose JSON fits
    while (fails - fits > 1) {
      const mid = (fits + fails) >> 1;
      if (table(mid).length <= room) fits = mid;
      else fails = mid;
    }
    if (fits < 0) {
      current.truncated = true;
      return;
    }
    text = table(fits);
    current.truncated = true;
  }
  out('table', text);
}

const affected = (n) => `${n} ${n === 1 ? 'row' : 'rows'} affected\n`;

// --------------------------------------------------------------------------- run

async function runCode(engine, p, emit) {
  const run = { emit, chunks: [], lastPost: 0, size: 0, max: p.maxOutput || 0, truncated: false };
  const code = String(p.code ?? '');
  const lineOffset = Number(p.lineOffset) || 0;
  const started = now();
  let status = STATUS.success;
  let index = 0;
  current = run;
  try {
    await ready;
    emit({ type: EVENT.state, state: STATE.running });
    for await (const result of engine.statements(code, { maxRows: TABLE_MAX_ROWS })) {
      index += 1;
      for (const notice of result.notices || []) out('info', `${notice}\n`);
      if (result.columns) outTable(result);
      else out('stdout', result.text ?? affected(result.changes));
      if (interrupted()) throw new Interrupted();
    }
  } catch (error) {
    if (error instanceof Interrupted) status = STATUS.stopped;
    else {
      status = STATUS.error;
      for (const notice of error.notices || []) out('info', `${notice}\n`);
      out('error', error instanceof StatementError
        ? describeError(code, index + 1, error, lineOffset)
        : `${error?.message ?? error}\n`);
      // A script that fails ends its session in sqlite3 and psql, and with it any transaction it
      // opened: so does a block, rather than leave the next one in a failed transaction.
      if (await engine.rollback().catch(() => false)) {
        emit({ type: EVENT.notice, text: 'The block failed inside a transaction: the transaction was rolled back.' });
      }
    }
  } finally {
    flush(run);
    current = null;
  }
  return { status, durationMs: Math.round(now() - started), truncated: run.truncated };
}

let interrupt = null; // Int32Array over the host's interrupt buffer

function interrupted() {
  return Boolean(interrupt) && Atomics.load(interrupt, 0) !== 0;
}

/** For engines that walk rows themselves: throw when Stop was pressed (checked every few rows). */
export function checkInterruptEvery(count) {
  if (count % INTERRUPT_EVERY_ROWS === 0 && interrupted()) throw new Interrupted();
}

// --------------------------------------------------------------------------- loading and scope

function vendorOnlyFetch(vendorPath) {
  return function fetch(input) {
    const url = new URL(typeof input === 'string' ? input : input?.url ?? String(input), SELF_URL);
    if (url.origin === ORIGIN && url.pathname.startsWith(vendorPath)) return privateFetch(url.href, { credentials: 'same-origin' });
    return Promise.reject(new TypeError(`The SQL runner loads only its bundled engine: ${url.href} was not fetched.`));
  };
}

const WHY = {
  network: 'SQL runs without network',
  channels: 'it would reach other conversations or the extension',
  storage: 'it would reach extension storage',
};

function withTimeout(promise, ms, message) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let ready = null;

async function load(engine, p, emit) {
  const started = now();
  if (p.interruptBuffer) interrupt = new Int32Array(p.interruptBuffer);
  const vendorURL = new URL(engine.vendor, import.meta.url).href;
  // The engine loads through the vendor-only fetch: nothing else can be fetched, even now.
  globalThis.fetch = vendorOnlyFetch(new URL(vendorURL).pathname);
  const progress = (text) => emit({ type: EVENT.progress, text });
  progress(`Loading ${engine.label}`);
  const timeoutMs = p.loadTimeoutMs ?? 60000;
  const info = await withTimeout(engine.load({ vendorURL, payload: p, progress }), timeoutMs,
    `${engine.label} did not load within ${Math.round(timeoutMs / 1000)} s.`);
  // From here on the worker's global scope is an allow-list (shared/worker-scope.js).
  confineGlobalScope(SQL_RUNNER_GLOBALS, explainedStubs(SQL_RUNNER_GLOBALS, WHY));
  return { ...info, loadMs: Math.round(now() - started) };
}

/** Serve the run protocol for `engine` once the host hands over its port. */
export function serveSqlEngine(engine) {
  let queue = Promise.resolve();
  const inTurn = (task) => {
    const next = queue.then(task);
    queue = next.catch(() => {});
    return next;
  };
  const handlers = {
    [CMD.init](p, { emit }) {
      ready ||= load(engine, p, emit);
      return ready;
    },
    [CMD.run]: (p, { emit }) => inTurn(() => {
      if (!ready) throw new Error(`${engine.label} is not initialised (send init first)`);
      return runCode(engine, p, emit);
    }),
    [CMD.unload]: () => inTurn(() => {
      setTimeout(closeWorker, 0);
      return {};
    }),
  };
  // The protocol runs over a private port: the worker's own postMessage/onmessage are removed
  // with the rest of the scope.
  serveOnConnect(handlers);
}
