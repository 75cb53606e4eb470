// The SQLite worker: one in-memory SQLite database (sql.js, SQLite compiled to WebAssembly, from
// extension/vendor/sqljs/) for one conversation. SQLite itself splits the block into statements
// (so a trigger's BEGIN ... END stays whole) and runs them one by one.
import { Interrupted, StatementError, checkInterruptEvery, serveSqlEngine } from './sql-worker.js';

let db = null;

// sql.js is a classic script whose footer exports through a CommonJS `module` when one exists
// (and whose start-up assigns to it): give it one while it loads, so that it needs neither eval
// nor importScripts in a module worker.
async function loadSqlJs(vendorURL) {
  const shim = { exports: {} };
  Object.assign(globalThis, { module: shim, exports: shim.exports });
  try {
    await import(`${vendorURL}sql-wasm-browser.js`);
    return await shim.exports({ locateFile: (file) => vendorURL + file });
  } finally {
    delete globalThis.module;
    delete globalThis.exports;
  }
}

// Cells as JSON scalars: integers beyond 2^53 as their digits, infinities as SQLite writes them,
// BLOBs as SQL hex literals.
function cell(value) {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf'; // (NaN is NULL)
  if (value instanceof Uint8Array) return `x'${Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('')}'`;
  return value;
}

function totalChanges() {
  return db.exec('SELECT total_changes()')[0].values[0][0];
}

function runStatement(stmt, { maxRows }) {
  const columns = stmt.getColumnNames();
  const before = totalChanges();
  const rows = [];
  let rowCount = 0;
  while (stmt.step()) {
    if (rowCount < maxRows) rows.push(stmt.get(null, { useBigInt: true }).map(cell));
    rowCount += 1;
    checkInterruptEvery(rowCount);
  }
  if (columns.length) return { columns, rows, rowCount };
  // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE: it is this statement's
  // only if this statement changed something.
  return { columns: null, changes: totalChanges() > before ? db.getRowsModified() : 0 };
}

serveSqlEngine({
  label: 'SQLite',
  vendor: '../vendor/sqljs/',
  async load({ vendorURL }) {
    const SQL = await loadSqlJs(vendorURL);
    db = new SQL.Database();
    return { version: db.exec('SELECT sqlite_version()')[0].values[0][0] };
  },
  async rollback() {
    try {
      db.exec('ROLLBACK');
      return true;
    } catch {
      return false; // no transaction was open
    }
  },
  * statements(code, options) {
    const statements = db.iterateStatements(code);
    let rest = code;
    try {
      for (;;) {
        const start = code.length - rest.length;
        let next;
        try {
          next = statements.next();
        } catch (error) {
          throw new StatementError(start, error.message);
        }
        if (next.done) return;
        rest = statements.getRemainingSQL();
        let result;
        try {
          result = runStatement(next.value, options);
        } catch (error) {
          if (error instanceof Interrupted) throw error;
          throw new StatementError(start, error?.message ?? String(error), { end: code.length - rest.length });
        }
        yield result;
      }
    } finally {
      statements.return();
    }
  },
});
