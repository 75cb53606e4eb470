// One controller per code block: its panel, the code to run (always re-read from the live
// block at Run time, so a streamed block runs its final text) and the run in progress.
import { RunPanel } from './panel/panel.js';
import { readBlock } from './block-reader.js';
import { startRun } from './run-client.js';
import { loadSettings } from './settings.js';
import { RunRecorder } from './run-record.js';
import { TARGET } from '../shared/messages.js';

export class BlockController {
  constructor(root, adapter, info, theme) {
    this.root = root;
    this.adapter = adapter;
    this.info = info;
    this.languageOverride = null;
    this.run = null;
    this.panel = new RunPanel(info, {
      run: () => this.start(),
      stop: () => this.run?.stop(),
      input: (text) => this.run?.input(text),
      reset: () => this.resetNamespace(),
      changeLanguage: (language) => {
        this.languageOverride = language;
        this.panel.setLanguage(language);
      },
      currentCode: () => this.info.code,
      history: () => this.history(),
    });
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

  async start() {
    if (this.run) return;
    // Claim the panel before the first await: a double click starts one run, and Stop pressed
    // while settings load cancels it.
    let cancelled = false;
    this.run = { stop: () => (cancelled = true), input() {} };
    // Re-read the block now: the text may have changed since the panel appeared.
    if (this.root.isConnected) this.info = readBlock(this.root, this.adapter);
    const edited = this.panel.editedCode();
    const language = this.language;
    this.panel.clearOutput();
    this.panel.setState('running'); // the runner says 'loading' at once if its runtime is not ready
    const settings = await loadSettings();
    if (cancelled) {
      this.run = null;
      this.panel.setState('stopped', 0);
      return;
    }
    const request = {
      language,
      code: edited ?? this.info.code,
      lineOffset: edited == null ? this.info.lineOffset : 0,
      namespace: pageNamespace(),
      timeoutMs: settings.timeoutMs[language],
      allowNetwork: settings.userCodeNetwork,
      packageIndex: settings.pythonPackageIndex || null,
      idleMinutes: settings.pythonIdleMinutes,
    };
    if (language === 'python') this.ranPython = true;
    const recorder = new RunRecorder({ ...request, title: this.info.title, messageId: this.info.messageId, settings });
    const panel = this.panel;
    this.run = startRun(request, {
      state: (state, message) => {
        panel.setState(state);
        if (state === 'awaiting-input') panel.setPrompt(message.prompt);
      },
      progress: (text) => panel.notice(text),
      output: (chunks) => {
        panel.appendOutput(chunks);
        recorder.add(chunks);
      },
      notice: (text) => panel.notice(text),
      done: (result) => {
        this.run = null;
        if (result.message) panel.notice(result.message);
        else if (result.truncated) panel.notice('Output truncated: the run printed more than the panel keeps.');
        panel.setState(result.status, result.durationMs);
        recorder.finish(result).then((status) => this.showSyncStatus(status));
      },
    });
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
    const code = this.panel.editedCode() ?? this.info.code;
    try {
      const reply = await chrome.runtime.sendMessage({ target: TARGET.background, type: 'history', code, site: location.hostname });
      return reply && reply.ok ? reply.runs : [];
    } catch {
      return [];
    }
  }

  /** Python was restarted (by another tab's run, or a setting): this page's variables are gone. */
  pythonStateLost() {
    if (this.language !== 'python' || !this.ranPython || this.run) return;
    this.panel.notice('Python was restarted: variables from this page\'s earlier runs are gone.');
  }

  resetNamespace() {
    startRun({ language: 'python', reset: true, code: '', namespace: pageNamespace() }, {
      state() {},
      progress() {},
      output() {},
      notice: (text) => this.panel.notice(text),
      done: (result) => this.panel.notice(result.status === 'success' ? 'Python variables cleared.' : 'Reset failed.'),
    });
  }

  dispose() {
    this.run?.stop();
    this.panel.host.remove();
  }
}

// One Python namespace per conversation: the page address without query or hash.
export function pageNamespace() {
  return `${location.origin}${location.pathname}`;
}
