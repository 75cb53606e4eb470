// "Open in a tab": the same sandboxed preview page, full size. The document comes from the service
// worker, which kept it for this tab (its id is the address's fragment) when a panel asked.
import { BACKGROUND_MESSAGE, askBackground } from '../shared/messages.js';
import { CMD, request } from '../shared/protocol.js';

const id = location.hash.slice(1);
const frame = document.querySelector('[data-role="preview"]');

function fail(text) {
  const error = document.querySelector('[data-role="error"]');
  error.textContent = text;
  error.hidden = false;
}

const documentReady = askBackground(BACKGROUND_MESSAGE.previewDocument, { id });
frame.addEventListener('load', async () => {
  const reply = await documentReady.catch(() => null);
  if (!reply || !reply.ok) {
    fail('This preview is no longer available: open it again from its panel.');
    return;
  }
  document.title = `Chatrun preview · ${reply.title}`;
  document.querySelector('[data-role="source"]').textContent = reply.title;
  const channel = new MessageChannel();
  // A sandbox page has the opaque origin "null": it cannot be named as a target origin.
  frame.contentWindow.postMessage({ cmd: CMD.connect }, '*', [channel.port2]);
  channel.port1.postMessage(request(1, CMD.run, { html: reply.html }));
}, { once: true });
