// Runs first inside a previewed document (inlined by frame.js): its console, uncaught errors and
// its height go to the preview page, which relays them to the panel. Formatted like Node, as the
// JavaScript runner's console is.
import { format } from '../sandbox/inspect.js';

const post = window.parent.postMessage.bind(window.parent);
// This script sits before the document on its first line: an error's line counts its lines too.
const LINE_OFFSET = (document.currentScript?.textContent.match(/\n/g) || []).length;
const send = (message) => post({ chatrunPreview: message }, '*');
const write = (stream, text) => send({ type: 'output', chunks: [{ stream, text: `${text}\n` }] });

for (const [method, stream] of [['log', 'log'], ['info', 'info'], ['warn', 'warn'], ['error', 'error'], ['debug', 'debug']]) {
  const original = console[method];
  console[method] = (...args) => {
    write(stream, format(...args));
    original?.apply(console, args);
  };
}

window.addEventListener('error', (event) => {
  const error = event.error;
  const head = error && error.name ? `${error.name}: ${error.message}` : String(event.message);
  write('error', `Uncaught ${head}${event.lineno > LINE_OFFSET ? ` (line ${event.lineno - LINE_OFFSET} of the preview)` : ''}`);
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  write('error', `Uncaught (in promise) ${reason && reason.name ? `${reason.name}: ${reason.message}` : format(reason)}`);
});

// The panel sizes its frame to the document, up to a maximum.
const reportSize = () => send({ type: 'size', height: Math.ceil(document.documentElement.scrollHeight) });
new ResizeObserver(reportSize).observe(document.documentElement);
window.addEventListener('load', () => {
  reportSize();
  send({ type: 'loaded' });
});
