// The SQL (PostgreSQL) runner (shared/languages.js): a kernel per conversation, each one
// PostgreSQL database (PGlite) in its own worker (pglite-worker.js).
//
// A new PostgreSQL database is made by initdb, which takes seconds. The first worker ever does
// it and hands back its fresh data directory before any code ran in it; that directory is kept
// here and in this extension's IndexedDB, and every later database starts from a copy of it.
// PostgreSQL's WebAssembly module is compiled once here and handed to every worker; a digest of it
// names the kept directory, so a directory made by another PostgreSQL build is never used.
import { sqlRunner } from './sql-kernel.js';

const WASM_URL = new URL('../vendor/pglite/pglite.wasm', import.meta.url);
const DB_NAME = 'chatrun-pglite';
const STORE = 'templates';

let engine = null; // Promise<{module: WebAssembly.Module | null, build: string | null}>
let template = null; // Promise<Blob | null>

function compiledEngine() {
  engine ||= fetch(WASM_URL)
    .then((response) => response.arrayBuffer())
    .then(async (bytes) => {
      const [digest, module] = await Promise.all([crypto.subtle.digest('SHA-256', bytes), WebAssembly.compile(bytes)]);
      const build = Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
      return { module, build };
    })
    .catch(() => ({ module: null, build: null })); // the worker compiles it, and makes its own directory
  return engine;
}

function request(operation) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const transaction = db.transaction(STORE, 'readwrite');
      const req = operation(transaction.objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      transaction.oncomplete = () => db.close();
    };
  });
}

function storedTemplate(build) {
  template ||= build
    ? request((store) => store.get(build)).then((blob) => (blob instanceof Blob ? blob : null), () => null)
    : Promise.resolve(null);
  return template;
}

function keepTemplate(blob, build) {
  if (!(blob instanceof Blob)) return;
  template = Promise.resolve(blob);
  if (!build) return;
  // Only a cache (without it the next start is slower): one directory, of this build.
  request((store) => store.clear()).then(() => request((store) => store.put(blob, build))).catch(() => {});
}

export const { configOf, createKernel } = sqlRunner({
  workerURL: new URL('./pglite-worker.js', import.meta.url),
  label: 'PostgreSQL',
  initPayload: async () => {
    const { module, build } = await compiledEngine();
    return { dataDir: await storedTemplate(build), wasmModule: module };
  },
  onLoaded: async (result) => keepTemplate(result.dataDir, (await compiledEngine()).build),
});
