// HTML/CSS/SVG live preview: the document is shown in the panel, inside the extension's preview
// page (preview/frame.html: a sandbox page with no network, which shows it in a child frame of
// its own with an opaque origin). It speaks the run protocol over a private port: its console
// comes back as output, its height sizes the frame. A page whose CSP refuses the frame gets the
// preview in a tab of its own instead.
import { BACKGROUND_MESSAGE, askBackground } from '../shared/messages.js';
import { CMD, EVENT, STATE, STATUS, request } from '../shared/protocol.js';

// A preview page that has loaded answers `connect` at once (its listener is set before its load
// event): one that loaded and stays silent was replaced by an error page (a CSP that blocks it).
const ACCEPT_TIMEOUT_MS = 4000;
export const MAX_PREVIEW_HEIGHT = 600;
export const MIN_PREVIEW_HEIGHT = 40;

// The preview page of each container, kept between previews: the next document only needs a
// fresh child frame there (the preview page makes one per `run`), not a new extension page.
const pages = new WeakMap(); // container -> {frame, port, current: the run its events go to}

/**
 * Show `html` in `container` (an element of the panel). `on`: {state, output(chunks),
 * notice(text), done(result), size(height), tab()}: `size` gets the document's height (the
 * caller sizes the frame), `tab` is told when the preview went to a tab instead. Returns
 * {stop(), frame}: stop() removes the frame. Output that the document's scripts write after it
 * loaded keeps coming until stop() or the next preview in the container. A document that has not
 * loaded in `limitMs` is stopped. Call again only once the last preview here is done.
 */
export function startPreview({ html, title, limitMs = 10000 }, container, on) {
  const started = performance.now();
  let finished = false;
  const timers = [];
  let page = pages.get(container);
  const finish = (result) => {
    if (finished) return;
    finished = true;
    timers.forEach(clearTimeout);
    document.removeEventListener('securitypolicyviolation', onViolation, true);
    on.done({ durationMs: Math.round(performance.now() - started), truncated: false, ...result });
  };
  const stop = (status = STATUS.stopped) => {
    if (page) {
      page.port?.close();
      page.frame.remove();
      if (pages.get(container) === page) pages.delete(container);
    }
    finish({ status });
  };
  const timeOut = () => {
    on.notice(`The preview did not finish loading within ${Math.round(limitMs / 1000)} s and was stopped.`);
    stop(STATUS.timeout);
  };
  const run = {
    onEvent(body) {
      if (body.type === EVENT.output && Array.isArray(body.chunks)) {
        on.output(body.chunks.filter((c) => typeof c?.text === 'string').map(({ stream, text }) => ({ stream: String(stream), text })));
      } else if (body.type === EVENT.size && Number.isFinite(body.height)) {
        on.size?.(body.height);
      } else if (body.type === EVENT.loaded) {
        finish({ status: STATUS.success });
      }
    },
  };
  const show = () => {
    page.current = run;
    timers.push(setTimeout(timeOut, limitMs));
    page.port.postMessage(request(1, CMD.run, { html }));
  };
  // The page's CSP refused the frame (frame-src), or the page took it away: a tab of its own.
  const fallBack = () => {
    if (page?.port || finished) return;
    page?.frame.remove();
    pages.delete(container);
    openPreviewTab({ html, title });
    on.notice('This page does not allow embedded frames, so the preview opened in a tab of its own.');
    on.tab?.();
    finish({ status: STATUS.success });
  };
  // The browser says so at once (a violation event; Chromium exempts the extension's own frames
  // from a page's CSP, other engines may not), the page says so by removing the frame, a blocked
  // frame says so by loading and never answering. A frame that is merely slow to load (a busy
  // machine) is waited for up to the preview's time limit: it is not a refusal.
  function onViolation(e) {
    if (page && (String(e.blockedURI).startsWith(new URL(page.frame.src).origin) || (/^(frame|child)-src/.test(e.effectiveDirective) && !e.blockedURI))) fallBack();
  }
  on.state?.(STATE.running);
  if (page?.port && page.frame.isConnected) {
    show();
    return { stop: () => stop(), frame: page.frame };
  }
  const frame = document.createElement('iframe');
  frame.src = chrome.runtime.getURL('preview/frame.html');
  frame.title = `Preview${title ? `: ${title}` : ''}`;
  frame.setAttribute('data-role', 'preview');
  frame.style.height = `${MIN_PREVIEW_HEIGHT}px`;
  page = { frame, port: null, current: null };
  document.addEventListener('securitypolicyviolation', onViolation, true);
  const removed = new MutationObserver(() => {
    if (!frame.isConnected) {
      removed.disconnect();
      fallBack();
    }
  });
  removed.observe(container, { childList: true });
  const accepted = () => {
    removed.disconnect();
    clearTimeout(acceptTimer);
  };
  let acceptTimer = 0;
  timers.push(setTimeout(() => {
    if (page.port) return; // from here on, the run's own limit (show) counts
    removed.disconnect();
    timeOut();
  }, limitMs));
  frame.addEventListener('load', () => {
    if (page.port || finished) return;
    acceptTimer = setTimeout(fallBack, ACCEPT_TIMEOUT_MS);
    timers.push(acceptTimer);
    const channel = new MessageChannel();
    const port = channel.port1;
    port.onmessage = ({ data }) => {
      const body = data?.event;
      if (!body) return;
      if (body.type === EVENT.accepted && !page.port) {
        page.port = port;
        pages.set(container, page);
        accepted();
        show();
      } else {
        page.current?.onEvent(body);
      }
    };
    // The preview page has the opaque origin "null": it cannot be named as a target origin.
    frame.contentWindow.postMessage({ cmd: CMD.connect }, '*', [channel.port2]);
  });
  container.replaceChildren(frame);
  return { stop: () => stop(), frame };
}

/** The same document, full size, in a tab of its own (the service worker opens it). */
export function openPreviewTab({ html, title }) {
  return askBackground(BACKGROUND_MESSAGE.openPreview, { html, title }).catch(() => null);
}

/**
 * One document from the blocks of a message, as CodePen combines its panes: the HTML block, the
 * CSS blocks after it (as <style>) and, when asked, a JavaScript block (as a <script> at the end).
 */
export function composePreview({ html, css = [], js = null }) {
  const styles = css.map((text) => `<style>\n${text}\n</style>`).join('\n');
  const script = js ? `<script>\n${js.replace(/<\/script/gi, '<\\/script')}\n</script>` : '';
  if (!styles && !script) return html;
  // Styles go at the end of the head, else after the doctype and the opening tags before the body.
  const head = /<\/head\s*>/i.exec(html);
  const at = head ? head.index : (/^\s*(<!doctype[^>]*>\s*)?(<html[^>]*>\s*)?(<head[^>]*>\s*)?/i.exec(html)?.[0].length ?? 0);
  const withStyles = `${html.slice(0, at)}${styles}\n${html.slice(at)}`;
  const body = /<\/body\s*>/i.exec(withStyles);
  if (!script) return withStyles;
  return body ? `${withStyles.slice(0, body.index)}${script}${withStyles.slice(body.index)}` : `${withStyles}\n${script}`;
}
