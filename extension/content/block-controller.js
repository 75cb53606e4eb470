// One controller per code block: its panel, the code to run (always re-read from the live
// block at Run time, so a streamed block runs its final text) and the run in progress.
import { RunPanel } from './panel/panel.js';
import { readBlock } from './block-reader.js';
import { resetKernel, startRun } from './run-client.js';
import { holdKernels } from './kernel-link.js';
import { isKernelLanguage, isPreviewLanguage, keptBy, labelOf } from '../shared/languages.js';
import { afterNextFrame, finishMarks, startMarks } from './run-marks.js';
import { RunRecorder } from './run-record.js';
import { BACKGROUND_MESSAGE, FREED_REASON, askBackground } from '../shared/messages.js';
import { STATUS } from '../shared/protocol.js';
import { findComposer, insertIntoComposer } from './composer.js';
import {
  closeBlockPreview, htmlAbove, openBlockPreviewTab, previewCode, registerBlock, startBlockPreview, unregisterBlock,
} from './block-preview.js';

export class BlockController {
  /** `number`: the block's position among the page's panels (for accessible names); `host`: the
   *  light host already after the block (block-slot.js), which the panel fills. */
  constructor(root, adapter, info, theme, number = 1, host = undefined) {
    this.root = root;
    this.adapter = adapter;
    this.info = info;
    this.languageOverride = null;
    this.run = null;
    this.panel = new RunPanel(info, {
      run: () => this.start(),
      stop: () => this.run?.stop(),
      input: (text) => this.run?.input(text),
      reset: () => this.resetKernel(),
      changeLanguage: (language) => {
        this.languageOverride = language;
        this.panel.setLanguage(language);
      },
      currentCode: () => this.info.code,
      history: () => this.history(),
      askChat: (text) => this.askChat(text),
      // HTML, CSS and SVG previews (block-preview.js)
      previewWithHtml: () => this.start({ withScript: true }),
      htmlAbove: () => Boolean(htmlAbove(this)),
      openTab: () => openBlockPreviewTab(this),
      closePreview: () => closeBlockPreview(this),
    }, number, host);
    registerBlock(this);
    this.panel.setTheme(theme);
    this.place();
  }

  /** Put the panel right after the block (the site's own controls stay untouched). */
  place() {
    if (this.root.nextSibling !== this.panel.host) this.root.after(this.panel.host);
  }

  /** The block was re-rendered or replaced: follow the new element and its current text. */
  update(root, adapter, info, theme) {
    this.root = root;
    this.adapter = adapter;
    this.info = info;
    if (!this.languageOverride && info.language) this.panel.setLanguage(info.language);
    this.panel.setTitle(info.title);
    this.panel.setTheme(theme);
    this.place();
  }

  get language() {
    return this.languageOverride || this.info.language;
  }

  /** The code to run now: the user's edit, else the live block's text (re-read). */
  codeNow() {
    if (this.root.isConnected) this.info = readBlock(this.root, this.adapter);
    return this.panel.editedCode() ?? this.info.code;
  }

  /** Run the block; an HTML or CSS block (or `withScript`: JavaScript with the HTML above) previews. */
  start({ withScript = false } = {}) {
    if (this.run) return;
    if (withScript || isPreviewLanguage(this.language)) {
      this.run = startBlockPreview(this, { withScript });
      return;
    }
    startMarks();
    // Re-read the block now: the text may have changed since the panel appeared.
    if (this.root.isConnected) this.info = readBlock(this.root, this.adapter);
    const edited = this.panel.editedCode();
    const language = this.language;
    // Only what to run: limits, network and the conversation are the runner's to decide.
    const request = {
      language,
      code: edited ?? this.info.code,
      lineOffset: edited == null ? this.info.lineOffset : 0,
    };
    // What ran, so an error's line can be found in the code, the page's block and the editor.
    const ran = {
      code: request.code,
      lineOffset: request.lineOffset,
      edited: edited != null,
      blockRoot: this.root,
      codeElement: this.info.codeElement,
    };
    const recorder = new RunRecorder({ ...request, title: this.info.title, messageId: this.info.messageId });
    const panel = this.panel;
    // The request leaves first; the panel's own updates follow while it travels (the run's events
    // arrive as later tasks, after them).
    this.run = startRun(request, {
      state: (state, message) => {
        panel.setState(state);
        if (state === 'awaiting-input') panel.setPrompt(message.prompt);
      },
      progress: (text, event) => panel.showProgress(text, event),
      output: (chunks) => {
        panel.appendOutput(chunks);
        recorder.add(chunks);
      },
      notice: (text) => panel.notice(text),
      done: (result) => {
        this.run = null;
        panel.finish(result, ran);
        finishMarks(result.timing);
        // The record goes to the service worker once the output is on screen: handing it over
        // costs this thread a few milliseconds.
        afterNextFrame(() => recorder.finish(result).then((status) => this.showSyncStatus(status)));
      },
    });
    panel.startRun();
    if (isKernelLanguage(language)) {
      this.ranInKernel = language;
      holdKernels();
    }
  }

  /** Tell the user when their history cannot sync; running code locally goes on regardless. */
  showSyncStatus(status) {
    if (!status || !status.signedIn) return;
    if (status.revoked) {
      this.panel.notice('History sync stopped: this device was revoked. Sign in again in Chatrun\'s options; runs stay queued.');
    } else if (status.rateLimitedUntil && status.rateLimitedUntil > Date.now()) {
      const until = new Date(status.rateLimitedUntil).toLocaleTimeString();
      this.panel.notice(`Your account's run limit is reached: history sync waits until ${until}. Running code goes on.`);
    }
  }

  /** Earlier runs of the code this panel runs now, on this site only. */
  async history() {
    // A preview is recorded with the document it showed (the HTML with its CSS) as its code.
    const code = isPreviewLanguage(this.language) ? previewCode(this) : this.panel.editedCode() ?? this.info.code;
    try {
      const reply = await askBackground(BACKGROUND_MESSAGE.history, { code });
      return reply && reply.ok ? reply.runs : [];
    } catch {
      return [];
    }
  }

  /** Put `text` into the chat's message box (never sent); false when the page has none. */
  askChat(text) {
    const composer = findComposer(this.adapter, this.root);
    try {
      return Boolean(composer && insertIntoComposer(composer, text));
    } catch {
      return false;
    }
  }

  /** This conversation's kernel of `language` was freed: the variables of earlier runs are gone. */
  kernelFreed({ language, reason, max }) {
    if (this.ranInKernel !== language || this.language !== language || this.run || reason === FREED_REASON.reset) return;
    this.ranInKernel = null;
    this.panel.notice(freedNotice(labelOf(language), keptBy(language), reason, max));
  }

  resetKernel() {
    const what = `${labelOf(this.language)} ${keptBy(this.language)}`;
    resetKernel(this.language, {
      done: (result) => this.panel.notice(result.status === STATUS.success ? `${what} cleared.` : 'Reset failed.'),
    });
  }

  dispose() {
    unregisterBlock(this);
    this.run?.stop();
    this.preview?.stop();
    this.panel.host.remove();
  }
}

/** `kept`: what the kernel kept, in words ("variables", "tables"). */
function freedNotice(name, kept, reason, max) {
  switch (reason) {
    case FREED_REASON.budget:
      return `${name} ${kept} of this conversation were freed to make room for another conversation ` +
        `(at most ${max} keep theirs; see Chatrun's options). The next run starts fresh.`;
    case FREED_REASON.idle:
      return `${name} ${kept} of this conversation were freed after a while without runs. The next run starts fresh.`;
    case FREED_REASON.settings:
      return `${name} was restarted because a runner setting changed: ${kept} of earlier runs are gone.`;
    default:
      return `${name} was restarted: ${kept} from this conversation's earlier runs are gone.`;
  }
}
