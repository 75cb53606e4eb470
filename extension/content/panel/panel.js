// The Run panel: a host element placed after a code block, its UI in an open shadow root.
// Every action checks event.isTrusted, so a page script cannot run, stop or answer input.
//
// Cheap to make (a page may have a thousand): one shared stylesheet, one template cloned, one
// delegated listener per event type. The heavy parts — the overflow menu, the editor, the error
// box, the figure viewer — are built the first time they are used.
import { PANEL_CSS } from './panel-styles.js';
import { OutputView, download, swapLabels } from './output-view.js';
import { OverflowMenu } from './menu.js';
import { LineMark } from './line-mark.js';
import { askMessage, errorLocation, errorPart, errorSummary, sourceExcerpt, statusWords } from './run-words.js';
import { LANGUAGES, LANGUAGE_IDS, isKernelLanguage, isPreviewLanguage, keptBy, labelOf, previewRole } from '../../shared/languages.js';

const BUSY_STATES = new Set(['loading', 'running', 'awaiting-input']);
const CLOCK_MS = 100;
// A run looks busy (Stop, spinner, clock, the last output cleared) only once it has gone on this
// long: a warm run is over by then, so the first frame drawn after the click shows its output,
// instead of a 'running' frame that keeps frames coming and makes the output wait for the next.
const SHOW_RUNNING_MS = 50;
const FLASH_MS = 1200;
const MAC = /Mac|iPhone|iPad/.test(navigator.platform || '');
const SHORTCUT = MAC ? '⌘+Enter' : 'Ctrl+Enter';

export class RunPanel {
  /** @param {{language, title}} block  @param {object} actions callbacks  @param {number} number
   *  the block's position among the page's panels (its accessible names say "Python block 3")
   *  @param {HTMLElement} host the light host already placed after the block (block-slot.js) */
  constructor({ language, title }, actions, number = 1, host = document.createElement('div')) {
    this.actions = actions;
    this.host = host;
    this.host.setAttribute('data-code-runner', '');
    this.shadow = this.host.attachShadow({ mode: 'open' });
    this.shadow.adoptedStyleSheets = [panelSheet()];
    this.shadow.appendChild(panelTemplate().content.cloneNode(true));
    this.r = {};
    for (const el of this.shadow.querySelectorAll('[data-r]')) this.r[el.dataset.r] = el;
    this.output = new OutputView(this.r.output, this);
    this.number = number;
    this.editing = false;
    this.edited = null;
    this.state = null;
    this.result = null;
    this.lastError = null;
    this.setLanguage(language);
    this.setTitle(title);
    this.setState('idle');
    this.wire();
  }

  // --- names ---------------------------------------------------------------------------------
  /** "Python block 3: Squares Table": what every control's accessible name ends with. */
  get blockName() {
    return `${labelOf(this.language)} block ${this.number}${this.title ? `: ${this.title}` : ''}`;
  }

  /** Give a control its accessible name: its visible label, then the block's name. */
  name(el, label) {
    el.dataset.name = label;
    el.setAttribute('aria-label', `${label}, ${this.blockName}`);
  }

  rename() {
    const block = this.blockName;
    for (const el of this.shadow.querySelectorAll('[data-name]')) el.setAttribute('aria-label', `${el.dataset.name}, ${block}`);
  }

  setNumber(number) {
    if (number === this.number) return;
    this.number = number;
    this.rename();
  }

  /** A file name for what this panel saves: the title, else "python-block-3". */
  fileStem() {
    const base = this.title || `${labelOf(this.language)} block ${this.number}`;
    return base.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'code';
  }

  // --- events --------------------------------------------------------------------------------
  wire() {
    const root = this.shadow;
    root.addEventListener('click', (event) => {
      if (!event.isTrusted) return; // page scripts cannot drive the panel
      const target = event.target;
      const figure = target.closest?.('figure[data-stream="figure"]');
      if (figure && target.matches('img, canvas')) {
        this.enlarge(figure);
        return;
      }
      const button = target.closest?.('button[data-action]');
      if (button && !button.disabled) this.act(button.dataset.action, button);
    });
    root.addEventListener('change', (event) => {
      if (event.isTrusted && event.target === this.r.select) this.actions.changeLanguage(event.target.value);
    });
    root.addEventListener('keydown', (event) => this.onKey(event));
    // Input is submitted by a trusted Enter or click only (requestSubmit() from a page script
    // would fire a trusted-looking submit event, so the form's own submit is never used).
    this.r.form.addEventListener('submit', (event) => event.preventDefault());
  }

  act(action, button) {
    if (this.menu && this.menu.element.contains(button)) this.menu.hide();
    switch (action) {
      case 'run': return this.actions.run();
      case 'stop': return this.actions.stop();
      case 'copy': return this.copyText(this.output.text(), this.r.copy);
      case 'more': return this.ensureMenu(); // its popovertarget opens it
      case 'edit': return this.toggleEditor();
      case 'history': return this.toggleHistory();
      case 'clear': return this.clearOutput();
      case 'reset': return this.actions.reset();
      case 'revert': return this.revertEdit();
      case 'save': return this.saveCode();
      case 'ask': return this.askChat();
      case 'traceback': return this.toggleTraceback();
      case 'show-line': return this.mark?.reveal();
      case 'send-input': return this.submitInput();
      case 'preview-with-html': return this.actions.previewWithHtml();
      case 'open-tab': return this.actions.openTab();
      case 'close-preview': return this.actions.closePreview();
      case 'close-viewer': return this.viewer?.close();
      default: return this.output.act(action, button);
    }
  }

  onKey(event) {
    if (!event.isTrusted) return;
    const { key, target } = event;
    if (key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      // The focused panel runs its code, editor open or not (the editor handles its own).
      if (event.defaultPrevented || target === this.r.input) return;
      event.preventDefault();
      if (!BUSY_STATES.has(this.state)) this.actions.run();
      return;
    }
    if (key === 'Escape') {
      if (event.defaultPrevented || this.viewer?.open) return;
      if (BUSY_STATES.has(this.state) || this.runningTimer) {
        event.preventDefault();
        this.actions.stop();
      }
      return;
    }
    if (key === 'Enter' && target === this.r.input) {
      this.submitInput();
      return;
    }
    if ((key === 'ArrowDown' || key === 'ArrowUp') && target === this.r.more) {
      event.preventDefault();
      this.ensureMenu().show();
    }
  }

  submitInput() {
    const field = this.r.input;
    const text = field.value;
    field.value = '';
    this.actions.input(text);
  }

  // --- state ---------------------------------------------------------------------------------
  setLanguage(language) {
    this.language = language;
    this.host.dataset.language = language;
    this.r.select.value = language;
    this.editor?.setLanguage(language);
    // HTML, CSS and SVG are previewed, not run: the same button (data-action="run") says so.
    const verb = isPreviewLanguage(language) ? 'Preview' : 'Run';
    if (this.r.run.dataset.name !== verb) {
      this.r.run.textContent = verb;
      this.r.run.title = `${verb} this code (${SHORTCUT})`;
      this.name(this.r.run, verb);
    }
    if (this.state) {
      this.rename();
      this.syncMenu();
    }
  }

  setTitle(title) {
    this.title = title || null;
    if (title) this.host.dataset.title = title;
    else delete this.host.dataset.title;
    this.r.title.textContent = title || '';
    this.rename();
  }

  setState(state) {
    const fresh = Boolean(this.runningTimer); // a new run, not shown yet: its state is news
    this.settleStart();
    const was = this.state;
    if (state === was && state !== 'idle' && !fresh) return;
    this.state = state;
    this.host.dataset.state = state;
    this.host.dataset.shown = state; // what the panel's styles follow
    const busy = BUSY_STATES.has(state);
    const { run, stop } = this.r;
    // Keep the keyboard where it was: Run pressed -> Stop, Stop gone -> Run.
    if (!busy && this.shadow.activeElement === stop) {
      // Hiding the focused Stop, or focusing Run, makes the browser bring style up to date at
      // once: milliseconds between the result and its output on screen. Both wait for the next
      // frame's callbacks, just before the frame does that work anyway.
      run.disabled = false;
      requestAnimationFrame(() => {
        const still = this.shadow.activeElement === stop;
        this.syncButtons();
        if (still && !run.disabled) run.focus();
      });
    } else {
      const runFocused = this.shadow.activeElement === run;
      this.syncButtons();
      if (busy && runFocused) stop.focus(); // the run's request has left already
    }
    this.r.form.hidden = state !== 'awaiting-input';
    if (state !== 'idle') this.host.dataset.ran = '';
    if (busy) {
      this.since = performance.now();
      this.startClock();
    } else {
      this.stopClock();
    }
    if (state === 'loading') this.showProgress(`Loading ${labelOf(this.language)}`, {});
    else this.r.progress.hidden = true;
    this.renderStatus();
    if (was && (state !== was || fresh)) this.announce(statusWords(state, { label: labelOf(this.language), result: this.result }));
    if (state === 'awaiting-input') this.r.input.focus();
  }

  /** Run or Stop, as the state says. */
  syncButtons() {
    const busy = BUSY_STATES.has(this.state);
    this.r.stop.hidden = !busy;
    this.r.stop.disabled = !busy;
    this.r.run.disabled = busy;
  }

  renderStatus() {
    const busy = BUSY_STATES.has(this.state);
    const words = statusWords(this.state, {
      label: labelOf(this.language),
      elapsedMs: busy && this.state !== 'awaiting-input' ? performance.now() - this.since : null,
      result: busy ? null : this.result,
    });
    if (this.r.status.textContent !== words) this.r.status.textContent = words;
  }

  startClock() {
    this.clock ||= setInterval(() => this.renderStatus(), CLOCK_MS);
  }

  stopClock() {
    clearInterval(this.clock);
    this.clock = null;
  }

  announce(words) {
    this.r.announce.textContent = `${this.blockName}: ${words}`;
  }

  setPrompt(prompt) {
    this.r.input.placeholder = prompt || 'Input for the program';
  }

  setTheme(theme) {
    if (this.host.dataset.theme === theme) return;
    this.host.dataset.theme = theme;
    this.editor?.setDark?.(theme === 'dark');
  }

  /** What the runtime is loading now, with a bar when the runner says how far it is. */
  showProgress(text, { step, percent } = {}) {
    if (this.state !== 'loading') return;
    const { progress, progressText, pbar: bar, fill, percentText } = this.r;
    progress.hidden = false;
    progressText.textContent = text || (step ? `Loading ${step}` : `Loading ${labelOf(this.language)}`);
    const value = Number(percent);
    if (percent != null && Number.isFinite(value)) {
      const shown = Math.max(0, Math.min(100, Math.round(value)));
      bar.setAttribute('aria-valuenow', String(shown));
      bar.setAttribute('aria-valuetext', `${progressText.textContent}: ${shown}%`);
      bar.classList.remove('indeterminate');
      fill.style.width = `${shown}%`;
      percentText.textContent = `${shown}%`;
    } else {
      bar.removeAttribute('aria-valuenow');
      bar.setAttribute('aria-valuetext', progressText.textContent);
      bar.classList.add('indeterminate');
      fill.style.width = '';
      percentText.textContent = '';
    }
  }

  // --- a run ---------------------------------------------------------------------------------
  /** A run starts: the last one's output, marks and words go. */
  startRun() {
    this.result = null;
    // The hook says so at once (pages and tests read it; no style depends on it); the panel shows
    // it after SHOW_RUNNING_MS, or at the run's first event (the runner says 'loading' at once if
    // its runtime is not ready), whichever comes first.
    this.host.dataset.state = 'running';
    this.startedAt = performance.now();
    this.staleOutput = true;
    clearTimeout(this.runningTimer);
    this.runningTimer = setTimeout(() => {
      this.runningTimer = null;
      this.setState('running');
      this.since = this.startedAt; // the clock counts from the click
    }, SHOW_RUNNING_MS);
  }

  /** The run that started is heard from (or shown): it shows no more of the last run's output. */
  settleStart() {
    clearTimeout(this.runningTimer);
    this.runningTimer = null;
    this.dropStaleOutput();
  }

  dropStaleOutput() {
    if (!this.staleOutput) return;
    this.staleOutput = false;
    this.clearOutput();
  }

  /**
   * The run is over. `run`: {code, lineOffset, edited, blockRoot, codeElement}: what ran, so an
   * error's line can be shown in the code, in the page's block and in the editor.
   */
  finish(result, run) {
    this.dropStaleOutput(); // setState below ends the wait to show 'running'
    this.result = result;
    if (result.status === 'stopped') {
      this.notice(result.message ? `Stopped. ${result.message}` : 'Stopped.');
    } else if (result.message) {
      this.notice(result.message);
    } else if (result.truncated) {
      this.notice('Output truncated: the run printed more than the panel keeps.');
    }
    // Stop and the time limit are not the program's error: its KeyboardInterrupt traceback is
    // kept one click away.
    if ((result.status === 'stopped' || result.status === 'timeout') && this.hasErrorOutput()) this.foldTraceback(true);
    if (result.status === 'error') this.showError(run, result.message);
    this.setState(result.status);
  }

  hasErrorOutput() {
    return Boolean(this.r.output.querySelector('[data-stream="error"]'));
  }

  errorText() {
    return Array.from(this.r.output.querySelectorAll('[data-stream="error"]'), (c) => c.textContent).join('');
  }

  foldTraceback(folded) {
    const toggle = this.r.traceback;
    if (folded) this.r.output.dataset.trace = 'folded';
    else delete this.r.output.dataset.trace;
    toggle.hidden = false;
    toggle.setAttribute('aria-expanded', String(!folded));
    toggle.textContent = folded ? 'Show traceback' : 'Hide traceback';
    this.name(toggle, toggle.textContent);
    this.r.noticeRow.hidden = false;
  }

  toggleTraceback() {
    this.foldTraceback(this.r.output.dataset.trace !== 'folded');
  }

  showError({ code = '', lineOffset = 0, edited = false, blockRoot = null, codeElement = null } = {}, message = '') {
    const text = errorPart(this.errorText()) || message || '';
    if (!text) return;
    const lines = String(code).split('\n');
    const location = errorLocation(text, (n) => lines[n - 1 - lineOffset] ?? null);
    this.lastError = { text, location, code, edited };
    const box = this.ensureErrorBox();
    box.summary.textContent = errorSummary(text);
    const excerpt = sourceExcerpt(code, location, lineOffset);
    box.excerpt.hidden = !excerpt;
    if (excerpt) {
      const width = String(excerpt.rows.at(-1).number).length;
      const rows = excerpt.rows.map(({ number, text: line, current }) => {
        const row = document.createElement('span');
        row.className = current ? 'cur' : 'ctx';
        row.textContent = `${current ? '>' : ' '} ${String(number).padStart(width)} │ ${line}\n`;
        return row;
      });
      const caret = document.createElement('span');
      caret.className = 'caret';
      caret.textContent = `${' '.repeat(width + 2)} │ ${excerpt.caret}\n`;
      box.excerpt.replaceChildren(...rows, caret);
    }
    box.element.hidden = false;
    // The failing line in the page's block (when the page's code ran) and in the editor.
    let marked = false;
    if (location && !edited && blockRoot && codeElement) {
      this.mark ||= new LineMark(this.host, this.r.mark);
      this.mark.show(blockRoot, codeElement, location.line);
      marked = this.host.dataset.mark !== undefined;
    }
    box.show.hidden = !marked;
    if (marked) {
      box.show.textContent = `Show line ${location.line} in the block`;
      this.name(box.show, box.show.textContent);
    }
    this.editorLine = location ? (edited ? location.line : location.line - lineOffset) : null;
    this.editor?.markLine?.(this.editorLine);
    this.syncMenu();
  }

  ensureErrorBox() {
    if (!this.errorBox) {
      const element = document.createElement('div');
      element.className = 'errbox';
      element.dataset.role = 'error';
      element.setAttribute('role', 'group');
      const summary = document.createElement('div');
      summary.className = 'errsum';
      const excerpt = document.createElement('pre');
      excerpt.className = 'excerpt';
      excerpt.dataset.role = 'error-source';
      excerpt.tabIndex = 0; // it may scroll sideways
      excerpt.setAttribute('role', 'group');
      const actions = document.createElement('div');
      actions.className = 'erractions';
      const show = button('show-line', 'Show line in the block');
      const ask = button('ask', 'Ask the chat to fix it');
      actions.append(show, ask);
      element.append(summary, excerpt, actions);
      this.name(element, 'Error');
      this.name(excerpt, 'Failing line');
      this.name(show, show.textContent);
      this.name(ask, ask.textContent);
      this.r.output.after(element);
      this.errorBox = { element, summary, excerpt, show, ask };
    }
    return this.errorBox;
  }

  clearError() {
    this.lastError = null;
    if (this.errorBox) this.errorBox.element.hidden = true;
    this.mark?.clear();
    this.editorLine = null;
    this.editor?.markLine?.(null);
  }

  // --- output --------------------------------------------------------------------------------
  appendOutput(chunks) {
    this.dropStaleOutput(); // the run goes on: it shows as running when its time comes
    this.output.append(chunks);
  }

  notice(text) {
    this.dropStaleOutput();
    this.r.notice.textContent = text;
    this.r.noticeRow.hidden = !text && this.r.traceback.hidden;
  }

  clearOutput() {
    this.output.clear();
    delete this.r.output.dataset.trace;
    this.r.traceback.hidden = true;
    this.notice('');
    this.clearError();
  }

  async copyText(text, target) {
    let ok = true;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (e.g. document not focused): fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      this.shadow.appendChild(area);
      area.select();
      ok = document.execCommand('copy');
      area.remove();
    }
    if (target) this.flash(target, ok);
    return ok;
  }

  /** "Copy" reads "Copied" (or "Failed") for a moment, in the same width. */
  flash(target, ok) {
    const label = target.dataset.name;
    target.dataset.shown = ok ? '1' : '2';
    target.setAttribute('aria-label', `${ok ? 'Copied' : 'Copy failed'}, ${this.blockName}`);
    clearTimeout(target.flashTimer);
    target.flashTimer = setTimeout(() => {
      target.dataset.shown = '0';
      this.name(target, label);
    }, FLASH_MS);
  }

  /** A figure, large, in a modal viewer (built on first use). */
  enlarge(figure) {
    const source = figure.querySelector('img, canvas');
    if (!source) return;
    if (!this.viewer) {
      const dialog = document.createElement('dialog');
      dialog.className = 'viewer';
      const close = button('close-viewer', 'Close');
      this.name(close, 'Close');
      const view = document.createElement('div');
      view.className = 'view';
      dialog.append(close, view);
      dialog.addEventListener('click', (event) => {
        if (event.isTrusted && event.target === dialog) dialog.close(); // the backdrop
      });
      this.r.panel.appendChild(dialog);
      this.viewer = dialog;
    }
    let copy;
    if (source.tagName === 'IMG') {
      copy = document.createElement('img');
      copy.src = source.src;
      copy.alt = source.alt;
    } else {
      copy = document.createElement('canvas');
      copy.width = source.width;
      copy.height = source.height;
      copy.setAttribute('role', 'img');
      copy.setAttribute('aria-label', source.getAttribute('aria-label') || 'Figure');
      copy.getContext('2d').drawImage(source, 0, 0);
    }
    this.name(this.viewer, `Figure ${figure.dataset.n}`);
    this.viewer.querySelector('.view').replaceChildren(copy);
    this.viewer.showModal();
  }

  // --- menu ----------------------------------------------------------------------------------
  ensureMenu() {
    if (!this.menu) {
      this.menu = new OverflowMenu(this.r.more, this.r.panel, (el, label) => this.name(el, label));
      this.menu.element.id = 'menu';
      this.menu.element.addEventListener('beforetoggle', (event) => event.newState === 'open' && this.syncMenu());
      this.menu.element.addEventListener('toggle', (event) => {
        if (event.newState === 'open' && this.shadow.activeElement === this.r.more) this.menu.visible()[0]?.focus();
      });
      this.syncMenu();
    }
    return this.menu;
  }

  /** The menu shows what applies now: Reset for kernels, Revert once edited, Ask after an error. */
  syncMenu() {
    if (!this.menu) return;
    const reset = this.menu.item('reset');
    reset.hidden = !isKernelLanguage(this.language);
    reset.title = `Clear the ${labelOf(this.language)} ${keptBy(this.language)} of this conversation`;
    this.menu.item('revert').hidden = this.edited === null;
    this.menu.item('ask').hidden = !this.lastError;
    this.menu.item('preview-with-html').hidden = previewRole(this.language) !== 'script' || !this.actions.htmlAbove();
    const edit = this.menu.item('edit');
    edit.textContent = this.editing ? 'Close editor' : 'Edit';
    this.name(edit, edit.textContent);
  }

  // --- ask the chat --------------------------------------------------------------------------
  async askChat() {
    const error = this.lastError;
    if (!error) return;
    const text = askMessage({
      label: labelOf(this.language),
      title: this.title,
      code: error.code,
      errorText: error.text,
      location: error.location,
    });
    if (this.actions.askChat(text)) {
      this.notice("The message is in the chat's message box, not sent: read it, then send it yourself.");
      return;
    }
    const copied = await this.copyText(text, null);
    this.notice(copied
      ? 'No message box found on this page: the message was copied to the clipboard instead.'
      : 'No message box found on this page, and the clipboard refused the message.');
  }

  // --- history -------------------------------------------------------------------------------
  async toggleHistory() {
    const list = this.r.history;
    const toggle = this.ensureMenu().item('history');
    if (!list.hidden) {
      list.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      return;
    }
    toggle.setAttribute('aria-expanded', 'true');
    list.hidden = false;
    list.replaceChildren(historyLine('Loading…'));
    const runs = await this.actions.history();
    list.replaceChildren(...(runs.length ? runs.map(historyItem) : [historyLine('No earlier runs of this code on this site.')]));
  }

  saveCode() {
    const code = this.editedCode() ?? this.actions.currentCode();
    const extension = LANGUAGES[this.language]?.extensions[0] || '.txt';
    download(new Blob([code], { type: 'text/plain' }), `${this.fileStem()}${extension}`);
  }

  // --- editor --------------------------------------------------------------------------------
  async toggleEditor() {
    this.editing = !this.editing;
    const box = this.ensureEditorBox();
    const editor = await this.ensureEditor();
    if (this.editing && this.edited === null) {
      editor.value = this.actions.currentCode();
      editor.markLine?.(this.editorLine ?? null);
    }
    box.hidden = !this.editing;
    this.syncMenu();
    if (this.editing) editor.focus();
    else this.captureEdit();
  }

  ensureEditorBox() {
    if (!this.r.editorBox) {
      const box = document.createElement('div');
      box.className = 'editor';
      box.hidden = true;
      const slot = document.createElement('div');
      slot.className = 'editor-slot';
      const textarea = document.createElement('textarea');
      textarea.dataset.role = 'editor';
      textarea.spellcheck = false;
      textarea.autocomplete = 'off';
      this.name(textarea, 'Code to run');
      const hint = document.createElement('div');
      hint.className = 'hint';
      hint.textContent = `${SHORTCUT} runs the edited code. The page's block is not changed.`;
      box.append(slot, textarea, hint);
      this.r.bar.after(box);
      Object.assign(this.r, { editorBox: box, editorSlot: slot, textarea });
    }
    return this.r.editorBox;
  }

  /** CodeMirror, loaded on first use; the plain textarea stays if it cannot load. */
  ensureEditor() {
    if (!this.editorReady) {
      const { textarea, editorSlot } = this.r;
      const fallback = {
        get value() {
          return textarea.value;
        },
        set value(text) {
          textarea.value = text;
        },
        setLanguage() {},
        focus: () => textarea.focus(),
      };
      this.editorReady = loadEditorModule()
        .then(({ createEditor }) => {
          const editor = createEditor({
            parent: editorSlot,
            root: this.shadow,
            doc: textarea.value,
            language: this.language,
            dark: this.host.dataset.theme === 'dark',
            label: `Code to run, ${this.blockName}`,
            onRun: () => this.actions.run(),
          });
          textarea.remove();
          return editor;
        })
        .catch(() => fallback)
        .then((editor) => (this.editor = editor));
    }
    return this.editorReady;
  }

  // Edited code stays in force after the editor closes, until the user reverts it.
  captureEdit() {
    if (!this.editor) return;
    const value = this.editor.value;
    this.edited = value === this.actions.currentCode() ? null : value;
    this.r.edited.hidden = this.edited === null;
    this.syncMenu();
  }

  revertEdit() {
    if (this.editor) this.editor.value = this.actions.currentCode();
    this.captureEdit();
  }

  /** The user's edited code, or null to run the page's block as it is now. */
  editedCode() {
    if (this.editing) this.captureEdit();
    return this.edited;
  }
}

function button(action, label) {
  const el = document.createElement('button');
  el.type = 'button';
  el.dataset.action = action;
  el.textContent = label;
  return el;
}

let editorModule = null;
function loadEditorModule() {
  // A module of the extension, imported into this content script's world on first Edit.
  editorModule ||= import(chrome.runtime.getURL('build/editor.js'));
  return editorModule;
}

/** Parse the panel's markup and stylesheet now (the first panel of a page pays for them otherwise):
 *  while the page's blocks are read, before the panels on screen are built. */
export function preparePanels() {
  panelTemplate();
  panelSheet();
}

// The panel's markup, parsed once and cloned for each panel.
let template = null;
function panelTemplate() {
  if (!template) {
    template = document.createElement('template');
    template.innerHTML = TEMPLATE;
    swapLabels(template.content.querySelector('[data-action="copy"]'), ['Copy', 'Copied', 'Failed']);
  }
  return template;
}

// One stylesheet object shared by every panel's shadow root: parsed once per page.
let sheet = null;
function panelSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(PANEL_CSS);
  }
  return sheet;
}

function historyLine(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

// Built from data as text: runs can hold anything a program printed.
function historyItem(run) {
  const li = document.createElement('li');
  li.dataset.executionId = run.execution_id;
  li.dataset.status = run.status;
  const when = new Date(run.timestamp);
  li.textContent = `${run.status} · ${formatMs(run.execution_time_ms)} · ${when.toLocaleString()} · ${run.device}`;
  if (run.preview) {
    const preview = document.createElement('pre');
    preview.textContent = run.preview;
    li.appendChild(preview);
  }
  return li;
}

function formatMs(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

const LANGUAGE_OPTIONS = LANGUAGE_IDS.map((id) => `<option value="${id}">${LANGUAGES[id].label}</option>`).join('');

// data-r: the element's name in panel.r; data-name: its visible label (accessible names).
const TEMPLATE = `
<div class="panel" part="panel" data-r="panel">
  <div class="bar" data-r="bar">
    <select data-role="language" data-r="select" data-name="Language">${LANGUAGE_OPTIONS}</select>
    <span class="title" data-role="title" data-r="title"></span>
    <span class="edited" data-role="edited" data-r="edited" hidden>edited</span>
    <span class="spin" aria-hidden="true"></span>
    <span class="status" data-role="status" data-r="status"></span>
    <span class="spacer"></span>
    <kbd class="kbd" title="Runs the focused panel">${SHORTCUT}</kbd>
    <button type="button" class="primary" data-action="run" data-r="run" data-name="Run" title="Run this code (${SHORTCUT})">Run</button>
    <button type="button" data-action="stop" data-r="stop" data-name="Stop" title="Stop the running code (Esc)" hidden>Stop</button>
    <button type="button" data-action="copy" data-r="copy" data-name="Copy" title="Copy the output">Copy</button>
    <button type="button" class="more" data-action="more" data-r="more" data-name="More actions" title="More actions"
      aria-haspopup="menu" aria-expanded="false" popovertarget="menu">⋯</button>
  </div>
  <div class="progress" data-role="progress" data-r="progress" hidden>
    <span class="ptext" data-r="progressText"></span>
    <span class="pbar" role="progressbar" aria-valuemin="0" aria-valuemax="100" data-r="pbar" data-name="Loading"><span class="fill" data-r="fill"></span></span>
    <span class="pct" data-r="percentText"></span>
  </div>
  <div class="notice-row" data-r="noticeRow" hidden>
    <div data-role="notice" data-r="notice"></div>
    <button type="button" class="link" data-action="traceback" data-r="traceback" aria-expanded="false" hidden>Show traceback</button>
  </div>
  <ol data-role="history" data-r="history" aria-label="Earlier runs" hidden></ol>
  <div data-role="output" data-r="output" role="log" tabindex="0" data-name="Output"></div>
  <form data-role="input-form" data-r="form" hidden>
    <input data-role="input" data-r="input" autocomplete="off" data-name="Input for the program">
    <button type="button" data-action="send-input" data-name="Send">Send</button>
  </form>
  <span class="sr-only" data-role="announce" data-r="announce" role="status" aria-live="polite"></span>
</div>
<div class="line-mark" data-r="mark" aria-hidden="true" hidden></div>`;
