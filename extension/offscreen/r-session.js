// The R session: webR's worker-side runtime (vendor/webr/webr-worker.js, R compiled to
// WebAssembly) in a module worker of ours, started by this conversation's R host worker
// (r-worker.js) in place of the worker webR would start itself. This module is the wrapper:
// - before webR starts R, it reads the files R needs besides R.wasm (fonts, the PNG device's
//   library, R's share/ with the time zones, package parallel) from the extension and writes them
//   into R's file system, so nothing is fetched later (webR's own lazy loading would need
//   XMLHttpRequest whenever R first opens such a file);
// - it loads webR's worker code, which loads R.js as a module;
// - it stands in for `eval` where webR's R package (webr.so) defines its EM_ASM snippets, which
//   the extension pages' CSP rightly refuses to evaluate (R_SNIPPETS below), and where R would
//   run JavaScript (webr::eval_js): that raises an R error;
// - when webR reports that R has started (its 'resolve' message) and before it reads any code, it
//   takes over R's stdout/stderr and the runner's record device (/dev/chatrun) and confines the
//   global scope to R_RUNNER_GLOBALS plus R's own WebAssembly exports.
// Output goes to the host over webR's own channel, in the order R wrote it, as
// {type:'chatrun', stream, text}: stdout and stderr as written, and the records r-runtime.R
// writes to /dev/chatrun ("<stream> <bytes>\n<payload>"; a figure's PNG bytes as base64).
import { R_RUNNER_GLOBALS, confineGlobalScope, explainedStubs } from '../shared/worker-scope.js';

// Captured before the scope is confined: only this module holds them.
const post = globalThis.postMessage.bind(globalThis);
const privateFetch = globalThis.fetch.bind(globalThis);
const VENDOR_URL = new URL('../vendor/webr/', import.meta.url).href;
const RECORD_DEVICE = '/dev/chatrun';

// What webR would mount lazily and the extension ships (scripts/vendor_runtimes.py): plain files,
// and file images (<name>.js.metadata + <name>.data.gz) unpacked at their mount point.
const FONTS = ['NotoSans', 'NotoSerif'].flatMap((family) => ['Regular', 'Bold', 'Italic', 'BoldItalic']
  .map((face) => `${family}-${face}.ttf`)).concat(['NotoSansMono-Regular.ttf', 'NotoSansMono-Bold.ttf']);
const FILES = [
  'etc/fonts/fonts.conf', ...FONTS.map((font) => `usr/share/fonts/${font}`),
  'var/cache/fontconfig/3830d5c3ddfd5cd38a049b759396e72e-le32d8.cache-9', 'var/cache/fontconfig/CACHEDIR.TAG',
  'usr/lib/R/library/translations/DESCRIPTION',
];
const IMAGES = ['usr/lib/R/share', 'usr/lib/R/library/parallel', 'usr/lib/R/library/grDevices/libs',
  'usr/lib/R/library/grDevices/afm', 'usr/lib/R/library/grDevices/enc', 'usr/lib/R/library/grDevices/fonts'];

// Emscripten defines a side module's EM_ASM snippets with eval, and R's emscripten_run_script
// (webr::eval_js) is eval: the extension pages' CSP rightly refuses both, and this stands in for
// eval in the session. The only side module with snippets is webR's R package (webr.so: its
// canvas device, file system mounts and the unwind-protect below). The snippet R can reach in a
// Chatrun session is written out here (webR 0.6.0; the key is its text); any other raises an R
// error, as webR's own snippets do.
const UNWIND = "{ throw new globalThis.Module.webr.UnwindProtectException( 'A non-local transfer of control occurred during evaluation', $0 ); }";
const R_SNIPPETS = new Map([
  [UNWIND, (token) => {
    throw new globalThis.Module.webr.UnwindProtectException('A non-local transfer of control occurred during evaluation', token);
  }],
]);

function refuse(what) {
  const { Module } = globalThis;
  Module._Rf_error(Module.allocateUTF8OnStack(`${what} is not available in Chatrun's R.`));
}

function snippet(source) {
  const text = String(source);
  // A side module's definition, `(${args}) => { ${body} };`: a function, called later, if ever.
  if (/^\([^)]*\) => /.test(text)) {
    return R_SNIPPETS.get(/^\([^)]*\) => \{ ([\s\S]*) \};$/.exec(text)?.[1])
      ?? (() => refuse('This part of webR (its canvas device, its mounts)'));
  }
  return refuse('Running JavaScript from R'); // emscripten_run_script: webr::eval_js
}

const WHY = {
  network: 'R runs without network',
  channels: 'it would reach other conversations or the extension',
  storage: 'it would reach extension storage',
};

// --------------------------------------------------------------------------- files

async function bytesOf(path) {
  const response = await privateFetch(VENDOR_URL + path);
  if (!response.ok) throw new Error(`${path} is missing from the extension (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
}

async function unpackImage(base) {
  const [metadata, packed] = await Promise.all([
    privateFetch(`${VENDOR_URL}vfs/${base}.js.metadata`).then((r) => r.json()),
    privateFetch(`${VENDOR_URL}vfs/${base}.data.gz`),
  ]);
  const stream = metadata.gzip ? packed.body.pipeThrough(new DecompressionStream('gzip')) : packed.body;
  const data = new Uint8Array(await new Response(stream).arrayBuffer());
  return metadata.files.map(({ filename, start, end }) => [`/${base}${filename}`, data.subarray(start, end)]);
}

function filesForR() {
  return Promise.all([
    ...FILES.map(async (path) => [[`/${path}`, await bytesOf(`vfs/${path}`)]]),
    ...IMAGES.map(unpackImage),
  ]).then((lists) => lists.flat());
}

function writeFiles(FS, files) {
  for (const [path, bytes] of files) {
    FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
    FS.writeFile(path, bytes);
  }
}

// --------------------------------------------------------------------------- output

const decoders = new Map(); // stream -> TextDecoder (a character may span two writes)

function deliver(stream, bytes) {
  if (!decoders.has(stream)) decoders.set(stream, new TextDecoder('utf-8'));
  const text = decoders.get(stream).decode(bytes, { stream: true });
  if (text) post({ type: 'chatrun', stream, text });
}

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// Records: "<stream> <byte length>\n" then the payload, possibly split across writes.
let pending = new Uint8Array(0);

function receiveRecords(bytes) {
  const joined = new Uint8Array(pending.length + bytes.length);
  joined.set(pending);
  joined.set(bytes, pending.length);
  let at = 0;
  for (;;) {
    const eol = joined.indexOf(10, at);
    if (eol < 0) break;
    const [stream, size] = new TextDecoder().decode(joined.subarray(at, eol)).split(' ');
    const end = eol + 1 + Number(size);
    if (end > joined.length) break;
    const payload = joined.subarray(eol + 1, end);
    post({ type: 'chatrun', stream, text: stream === 'figure' ? base64(payload) : new TextDecoder().decode(payload) });
    at = end;
  }
  pending = joined.slice(at);
}

// Each write R makes goes out at once, whole.
function writer(receive) {
  return (stream, buffer, offset, length) => {
    receive(buffer.slice(offset, offset + length));
    return length;
  };
}

// --------------------------------------------------------------------------- before any code

// R's runtime puts every export of R.wasm on the global object (R.js reaches them there):
// functions and addresses of R's own WebAssembly module, which can do nothing R itself cannot.
function wasmExports(Module) {
  return Object.keys(globalThis).filter((name) => Object.hasOwn(Module, name) && globalThis[name] === Module[name]);
}

function prepare() {
  const { Module } = globalThis;
  const { FS } = Module;
  FS.getStream(1).stream_ops = { ...FS.getStream(1).stream_ops, write: writer((b) => deliver('stdout', b)) };
  FS.getStream(2).stream_ops = { ...FS.getStream(2).stream_ops, write: writer((b) => deliver('stderr', b)) };
  const device = FS.makedev(64, 0);
  FS.registerDevice(device, { open() {}, close() {}, read: () => 0, write: writer(receiveRecords) });
  FS.mkdev(RECORD_DEVICE, device);
  // From here on the worker's global scope is an allow-list (shared/worker-scope.js). webR's own
  // channel to the host keeps postMessage, through relay (see R_RUNNER_GLOBALS).
  const allowed = [...R_RUNNER_GLOBALS, ...wasmExports(Module)];
  confineGlobalScope(allowed, {
    ...explainedStubs(allowed, WHY),
    postMessage: { value: Object.freeze(relay), writable: false },
    eval: { value: Object.freeze(snippet), writable: false },
  });
}

// webR's channel posts through the global postMessage; its 'resolve' says R is up and about to
// wait for requests: the moment to prepare, before any code is read.
let prepared = false;
function relay(message, transfer) {
  if (!prepared && message?.type === 'resolve') {
    prepared = true;
    prepare();
  }
  return post(message, transfer);
}

// --------------------------------------------------------------------------- start

globalThis.postMessage = relay;
globalThis.eval = snippet;

// The host's messages wait until webR's code and R's files are here; webR's init (the first)
// sets up R's Module and loads R.js at its next tick, so the files go in before R starts.
const waiting = [];
let handOver = null;
let wasmModule = null; // R.wasm compiled by the kernel, sent by the host before webR's init
globalThis.addEventListener('message', (event) => {
  if (event.data?.type === 'chatrun-wasm') wasmModule = event.data.wasmModule;
  else if (handOver) handOver(event);
  else waiting.push(event);
});
const files = filesForR();
await import(`${VENDOR_URL}webr-worker.js`);
const webrReceive = globalThis.onmessage;
globalThis.onmessage = null;
const ready = await files;
handOver = (event) => {
  webrReceive(event);
  if (event.data?.type !== 'init') return;
  const { Module } = globalThis;
  Module.preRun.push(() => writeFiles(Module.FS, ready));
  if (wasmModule instanceof WebAssembly.Module) {
    Module.instantiateWasm = (imports, done) => {
      WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
      return {};
    };
  }
};
waiting.splice(0).forEach(handOver);
