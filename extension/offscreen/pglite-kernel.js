// The SQL (PostgreSQL) runner (shared/languages.js): a kernel per conversation, each one
// PostgreSQL database (PGlite) in its own worker (pglite-worker.js).
//
// A new PostgreSQL database is made by initdb, which takes seconds. The first worker ever does
// it and hands back its fresh data directory before any code ran in it; that directory is kept
// here and in this extension's IndexedDB, and every later database starts from a copy of it.
// PostgreSQL's WebAssembly module is compiled once here and handed to every worker.
import { sqlRunner } from './sql-kernel.js';

const WASM_URL = new URL('../vendor/pglite/pglite.wasm', import.meta.url);

const DB_NAME = 'chatrun-pglite';
const STORE = 'templates';
const KEY = 'datadir';

let template = null; // Promise<Blob | null>
let compiled = null; // Promise<WebAssembly.Module | null>

function compiledWasm() {
  compiled ||= WebAssembly.compileStreaming(fetch(WASM_URL)).catch(() => null); // null: the worker compiles it
  return compiled;
}

function request(operation) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = operation(db.transaction(STORE, 'readwrite').objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.transaction.oncomplete = () => db.close();
    };
  });
}

function storedTemplate() {
  template ||= request((store) => store.get(KEY)).then((blob) => (blob instanceof Blob ? blob : null), () => null);
  return template;
}

function keepTemplate(blob) {
  if (!(blob instanceof Blob)) return;
  template = Promise.resolve(blob);
  request((store) => store.put(blob, KEY)).catch(() => {}); // only a cache: the next start is slower
}

export const { configOf, createKernel } = sqlRunner({
  workerURL: new URL('./pglite-worker.js', import.meta.url),
  label: 'PostgreSQL',
  initPayload: async () => {
    const [dataDir, wasmModule] = await Promise.all([storedTemplate(), compiledWasm()]);
    return { dataDir, wasmModule };
  },
  onLoaded: (result) => keepTemplate(result.dataDir),
});
