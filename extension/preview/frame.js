// The preview page (frame.html): one document per `show` request, in a fresh child frame. Its
// owner (a Run panel, or the "Open in a tab" page) hands over a private MessagePort with a first
// {cmd:'connect'} message; events go back over it: {type:'output'|'size'|'loaded'}.
import CONSOLE_SOURCE from 'chatrun:preview-console-source';
import { CMD, EVENT, event } from '../shared/protocol.js';

let port = null;
let child = null;

// The console capture goes first, before anything of the document runs.
function compose(html) {
  const capture = `<script>${CONSOLE_SOURCE.replace(/<\/script/gi, '<\\/script')}</script>`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  const rest = doctype ? html.slice(doctype[0].length) : html;
  return `<!DOCTYPE html><meta charset="utf-8">${capture}${rest}`;
}

function show(html) {
  child?.remove();
  child = document.createElement('iframe');
  child.setAttribute('sandbox', 'allow-scripts');
  child.setAttribute('title', 'Preview');
  child.srcdoc = compose(String(html));
  document.body.replaceChildren(child);
}

window.addEventListener('message', (e) => {
  if (!port && e.source === window.parent && e.data?.cmd === CMD.connect && e.ports[0]) {
    port = e.ports[0];
    port.onmessage = ({ data }) => {
      if (data?.cmd === CMD.run) show(data.payload?.html ?? '');
    };
    port.postMessage(event(0, { type: EVENT.accepted }));
    return;
  }
  // Only the document shown now speaks, and only in its own envelope.
  if (port && child && e.source === child.contentWindow && e.data?.chatrunPreview) {
    port.postMessage(event(0, e.data.chatrunPreview));
  }
});
