// The PostgreSQL worker: one PostgreSQL database (PGlite, PostgreSQL compiled to WebAssembly,
// from extension/vendor/pglite/) for one conversation. The block is split into statements as psql
// splits a script, and each one runs on its own (so, as in psql, a failing statement does not
// undo the ones before it unless they are in an explicit transaction).
//
// init payload `dataDir` (a Blob): a never-used data directory to start from (well under a
// second); without it the database is created with initdb (several seconds) and the result
// carries `dataDir`, the fresh directory, for the host to hand to later workers. `wasmModule`:
// PostgreSQL's WebAssembly module, compiled once by the host (saves each worker compiling it).
import { StatementError, serveSqlEngine } from './sql-worker.js';
import { splitStatements } from './sql-text.js';

let pg = null;
let parsers = null;

// Cells as psql shows them: PostgreSQL's own text for every type, numbers as JSON numbers.
// (The database's own parsers include its array types.)
function textParsers(types, db) {
  const oids = new Set([...Object.keys(types.parsers), ...Object.keys(db.parsers ?? {})]);
  const all = Object.fromEntries([...oids].map((oid) => [oid, (text) => text]));
  const integer = (text) => (Number.isSafeInteger(Number(text)) ? Number(text) : text);
  const float = (text) => (Number.isFinite(Number(text)) ? Number(text) : text);
  for (const oid of [types.INT2, types.INT4, types.INT8, types.OID]) all[oid] = integer;
  for (const oid of [types.FLOAT4, types.FLOAT8]) all[oid] = float;
  return all;
}

// --------------------------------------------------------------------------- engine

// COPY's STDIN and STDOUT are PGlite's /dev/blob: the data psql would send (the block's lines
// after the statement) goes in as a Blob, what it would print comes back as one.
function viaBlob(text, data) {
  if (data !== undefined) return [text.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'"), { blob: new Blob([data]) }];
  return [/^\s*COPY\b[^;]*\bTO\s+STDOUT\b/i.test(text) ? text.replace(/\bTO\s+STDOUT\b/i, "TO '/dev/blob'") : text, {}];
}

async function start(PGlite, { dataDir, wasmModule }, progress) {
  const compiled = wasmModule instanceof WebAssembly.Module ? { pgliteWasmModule: wasmModule } : {};
  if (dataDir) {
    try {
      return { db: await PGlite.create({ loadDataDir: dataDir, ...compiled }) };
    } catch {
      /* a directory another PostgreSQL version made: create a fresh one */
    }
  }
  progress('Creating the PostgreSQL database (the first time only)');
  const db = await PGlite.create(compiled);
  // Dumped before any code runs in it: a clean directory the next databases start from.
  return { db, dataDir: await db.dumpDataDir('gzip') };
}

serveSqlEngine({
  label: 'PostgreSQL',
  vendor: '../vendor/pglite/',
  async load({ vendorURL, payload, progress }) {
    const { PGlite, types } = await import(`${vendorURL}index.js`);
    progress('Starting PostgreSQL');
    const started = await start(PGlite, payload, progress);
    pg = started.db;
    parsers = textParsers(types, pg);
    const version = (await pg.query('SHOW server_version')).rows[0].server_version;
    return { version, ...(started.dataDir ? { dataDir: started.dataDir } : {}) };
  },
  async rollback() {
    let open = true;
    await pg.exec('ROLLBACK', { onNotice: (notice) => { open &&= notice.code !== '25P01'; } }); // no_active_sql_transaction
    return open;
  },
  async* statements(code, { maxRows }) {
    for (const { start: at, text, data } of splitStatements(code)) {
      const notices = [];
      const onNotice = (notice) => notices.push(`${notice.severity}:  ${notice.message}`);
      let results;
      try {
        const [sent, blob] = viaBlob(text, data);
        results = await pg.exec(sent, { rowMode: 'array', parsers, onNotice, ...blob });
      } catch (error) {
        const position = Number(error?.position) > 0 ? at + Number(error.position) - 1 : null;
        const located = { position, end: at + text.length };
        throw Object.assign(new StatementError(at, error?.message ?? String(error), located), { notices });
      }
      const result = results[results.length - 1] ?? { fields: [], rows: [], affectedRows: 0 };
      if (result.blob) yield { columns: null, text: await result.blob.text(), notices }; // COPY ... TO STDOUT
      else if (!result.fields.length) yield { columns: null, changes: result.affectedRows ?? 0, notices };
      else {
        const columns = result.fields.map((field) => field.name);
        yield { columns, rows: result.rows.slice(0, maxRows), rowCount: result.rows.length, notices };
      }
    }
  },
});
