// Live preview of a message's HTML, CSS and JavaScript blocks, as CodePen combines its panes: an
// HTML block with the CSS blocks after it (up to the next HTML block), a CSS block with the HTML
// block above it, and on request a JavaScript block with the HTML above it. "Same message" is
// the block's message key (block-reader.js); blocks are taken in page order.
import { LANGUAGES, PREVIEW_LANGUAGE, previewRole } from '../shared/languages.js';
import { STATUS } from '../shared/protocol.js';
import { composePreview, openPreviewTab, startPreview } from './preview-runner.js';
import { RunRecorder } from './run-record.js';
import { readBlock } from './block-reader.js';
import { finishMarks, startMarks } from './run-marks.js';
import { PreviewArea } from './panel/preview-area.js';

const blocks = new Set(); // every live BlockController of the page

export function registerBlock(controller) {
  blocks.add(controller);
}

export function unregisterBlock(controller) {
  blocks.delete(controller);
}

/**
 * The blocks of `controller`'s message, in page order: {host, role, code()} for each panel host
 * there. A host whose panel is not built yet (far from the viewport) is read through its block,
 * the element it follows, with `controller`'s adapter.
 */
function messageBlocks(controller) {
  const scope = controller.info.message || document;
  const byHost = new Map(Array.from(blocks, (c) => [c.panel.host, c]));
  return Array.from(scope.querySelectorAll('[data-code-runner]'), (host) => {
    const built = byHost.get(host);
    if (built) return { host, role: previewRole(built.language), code: () => built.codeNow() };
    const root = host.previousElementSibling;
    return { host, role: root && previewRole(host.dataset.language), code: () => readBlock(root, controller.adapter).code };
  });
}

/** The HTML block above the one whose panel host is `host` in `list`, or null. */
function documentAbove(list, host) {
  for (let i = list.findIndex((b) => b.host === host) - 1; i >= 0; i--) if (list[i].role === 'document') return list[i];
  return null;
}

export function htmlAbove(controller) {
  return Boolean(documentAbove(messageBlocks(controller), controller.panel.host));
}

/**
 * What a preview started from `controller` shows: {document, html, css: [code], js: code|null},
 * or {error} when a CSS or JavaScript block has no HTML block above it.
 */
export function previewParts(controller, withScript = false) {
  const own = previewRole(controller.language);
  const list = messageBlocks(controller);
  const self = { host: controller.panel.host, role: own, code: () => controller.codeNow() };
  const html = own === 'document' && !withScript ? self : documentAbove(list, self.host);
  if (!html) {
    return { error: own === 'style'
      ? 'There is no HTML block above this CSS in the message: nothing to apply it to.'
      : 'There is no HTML block above this block in the message to preview it with.' };
  }
  const css = [];
  const at = list.findIndex((b) => b.host === html.host);
  for (let i = at + 1; at >= 0 && i < list.length && list[i].role !== 'document'; i++) {
    if (list[i].role === 'style') css.push(list[i].code());
  }
  const js = withScript ? self.code() : null;
  const source = html.code();
  return { document: composePreview({ html: source, css, js }), html: source, css, js };
}

/** The code a preview from this block records: its document, or the block's own code. */
export function previewCode(controller) {
  return previewParts(controller).document ?? controller.codeNow();
}

/**
 * Preview in `controller`'s panel; returns {stop()} or null (nothing to preview: the panel says
 * why). The run is recorded with the preview language and the whole document as its code.
 */
export function startBlockPreview(controller, { withScript = false } = {}) {
  const { panel } = controller;
  const parts = previewParts(controller, withScript);
  if (parts.error) {
    panel.notice(parts.error);
    return null;
  }
  startMarks(); // click -> preview shown, on the page's timeline (scripts/bench html)
  panel.area ||= new PreviewArea(panel);
  const area = panel.area;
  const title = controller.info.title || '';
  panel.startRun();
  const recorder = new RunRecorder({ code: parts.document, language: PREVIEW_LANGUAGE, title, messageId: controller.info.messageId });
  let recording = true;
  const preview = startPreview({ html: parts.document, title, limitMs: LANGUAGES[PREVIEW_LANGUAGE].limitMs }, area.open(), {
    state: (state) => panel.setState(state),
    output: (chunks) => {
      panel.appendOutput(chunks);
      if (recording) recorder.add(chunks);
    },
    notice: (text) => panel.notice(text),
    size: (height) => area.fitContent(height),
    tab: () => area.close(),
    done: (result) => {
      controller.run = null;
      if (result.status !== STATUS.success) area.close();
      panel.finish(result, {});
      finishMarks();
      recording = false;
      recorder.finish(result).then((status) => controller.showSyncStatus(status));
    },
  });
  area.apply();
  controller.preview = { stop: preview.stop, document: parts.document, title };
  return preview;
}

/** The panel's "Open in a tab": the document shown now, else the one its blocks make now. */
export function openBlockPreviewTab(controller) {
  const shown = controller.preview;
  const parts = shown ? null : previewParts(controller);
  if (parts?.error) {
    controller.panel.notice(parts.error);
    return;
  }
  openPreviewTab({ html: shown ? shown.document : parts.document, title: controller.info.title || '' });
}

export function closeBlockPreview(controller) {
  controller.preview?.stop();
  controller.preview = null;
  controller.panel.area?.close();
}
