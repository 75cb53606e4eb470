// The Run panel: a host element placed after a code block, its UI in an open shadow root.
// Every action checks event.isTrusted, so a page script cannot run, stop or answer input.
import { PANEL_CSS } from './panel-styles.js';
import { OutputView } from './output-view.js';
import { LANGUAGES, LANGUAGE_IDS, isKernelLanguage, labelOf } from '../../shared/languages.js';

const BUTTONS = [
  ['run', 'Run', 'Run this code'],
  ['stop', 'Stop', 'Stop the running code'],
  ['edit', 'Edit', 'Edit the code before running it'],
  ['revert', 'Revert', 'Go back to the code shown on the page'],
  ['reset', 'Reset', 'Clear the variables of this conversation'],
  ['history', 'History', 'Show earlier runs of this code on this site'],
  ['clear', 'Clear', 'Clear the output'],
  ['copy', 'Copy output', 'Copy the output to the clipboard'],
];
const BUSY_STATES = new Set(['loading', 'running', 'awaiting-input']);

export class RunPanel {
  /** @param {{language, title, theme}} block  @param {object} actions callbacks */
  constructor({ language, title }, actions) {
    this.actions = actions;
    this.host = document.createElement('div');
    this.host.setAttribute('data-code-runner', '');
    this.shadow = this.host.attachShadow({ mode: 'open' });
    this.shadow.adoptedStyleSheets = [panelSheet()];
    this.shadow.appendChild(panelTemplate().content.cloneNode(true));
    this.$ = (selector) => this.shadow.querySelector(selector);
    this.output = new OutputView(this.$('[data-role="output"]'));
    this.editing = false;
    this.edited = null;
    this.$('button[data-action="revert"]').hidden = true;
    this.buildLanguageMenu();
    this.setLanguage(language);
    this.setTitle(title);
    this.setState('idle');
    this.wire();
  }

  buildLanguageMenu() {
    const select = this.$('select[data-role="language"]');
    for (const id of LANGUAGE_IDS) {
      const option = document.createElement('option');
      option.value = id;
      option.textContent = LANGUAGES[id].label;
      select.appendChild(option);
    }
  }

  wire() {
    const on = (selector, type, handler) =>
      this.$(selector).addEventListener(type, (event) => {
        if (!event.isTrusted) return; // page scripts cannot drive the panel
        handler(event);
      });
    on('button[data-action="run"]', 'click', () => this.actions.run());
    on('button[data-action="stop"]', 'click', () => this.actions.stop());
    on('button[data-action="reset"]', 'click', () => this.actions.reset());
    on('button[data-action="clear"]', 'click', () => this.clearOutput());
    on('button[data-action="copy"]', 'click', () => this.copyOutput());
    on('button[data-action="edit"]', 'click', () => this.toggleEditor());
    on('button[data-action="revert"]', 'click', () => this.revertEdit());
    on('button[data-action="history"]', 'click', () => this.toggleHistory());
    on('select[data-role="language"]', 'change', (event) => this.actions.changeLanguage(event.target.value));
    on('textarea[data-role="editor"]', 'keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.actions.run();
      }
    });
    // Input is submitted by a trusted Enter or click only (requestSubmit() from a page script
    // would fire a trusted-looking submit event, so the form's own submit is never used).
    this.$('form[data-role="input-form"]').addEventListener('submit', (event) => event.preventDefault());
    on('input[data-role="input"]', 'keydown', (event) => {
      if (event.key === 'Enter') this.submitInput();
    });
    on('button[data-action="send-input"]', 'click', () => this.submitInput());
  }

  submitInput() {
    const field = this.$('input[data-role="input"]');
    const text = field.value;
    field.value = '';
    this.actions.input(text);
  }

  // --- state ---------------------------------------------------------------------------------
  setLanguage(language) {
    this.language = language;
    this.host.dataset.language = language;
    this.$('select[data-role="language"]').value = language;
    const reset = this.$('button[data-action="reset"]');
    reset.hidden = !isKernelLanguage(language);
    reset.title = `Clear the ${labelOf(language)} variables of this conversation`;
    reset.setAttribute('aria-label', reset.title);
    this.editor?.setLanguage(language);
  }

  setTitle(title) {
    if (title) this.host.dataset.title = title;
    else delete this.host.dataset.title;
    this.$('[data-role="title"]').textContent = title || '';
  }

  setState(state, durationMs = null) {
    this.host.dataset.state = state;
    const busy = BUSY_STATES.has(state);
    this.$('button[data-action="run"]').disabled = busy;
    this.$('button[data-action="stop"]').disabled = !busy;
    this.$('form[data-role="input-form"]').hidden = state !== 'awaiting-input';
    const status = this.$('[data-role="status"]');
    status.textContent = durationMs == null ? state : `${state} · ${formatDuration(durationMs)}`;
    if (state === 'awaiting-input') this.$('input[data-role="input"]').focus();
  }

  setPrompt(prompt) {
    this.$('input[data-role="input"]').placeholder = prompt || 'Input for the program';
  }

  setTheme(theme) {
    this.host.dataset.theme = theme;
  }

  // --- output --------------------------------------------------------------------------------
  appendOutput(chunks) {
    this.output.append(chunks);
  }

  notice(text) {
    const notice = this.$('[data-role="notice"]');
    notice.textContent = text;
    notice.hidden = !text;
  }

  clearOutput() {
    this.output.clear();
    this.notice('');
  }

  async copyOutput() {
    const text = this.output.text();
    try {
      await navigator.clipboard.writeText(text);
      this.flashStatus('copied');
    } catch {
      // Clipboard API refused (e.g. document not focused): fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      this.shadow.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      this.flashStatus(ok ? 'copied' : 'copy failed');
    }
  }

  flashStatus(text) {
    const button = this.$('button[data-action="copy"]');
    button.textContent = text === 'copied' ? 'Copied' : 'Copy failed';
    setTimeout(() => (button.textContent = 'Copy output'), 1200);
  }

  // --- history -------------------------------------------------------------------------------
  async toggleHistory() {
    const list = this.$('[data-role="history"]');
    const button = this.$('button[data-action="history"]');
    if (!list.hidden) {
      list.hidden = true;
      button.setAttribute('aria-expanded', 'false');
      return;
    }
    button.setAttribute('aria-expanded', 'true');
    list.hidden = false;
    list.replaceChildren(historyLine('Loading…'));
    const runs = await this.actions.history();
    list.replaceChildren(...(runs.length ? runs.map(historyItem) : [historyLine('No earlier runs of this code on this site.')]));
  }

  // --- editor --------------------------------------------------------------------------------
  async toggleEditor() {
    this.editing = !this.editing;
    const editor = await this.ensureEditor();
    if (this.editing && this.edited === null) editor.value = this.actions.currentCode();
    this.$('.editor').hidden = !this.editing;
    const button = this.$('button[data-action="edit"]');
    button.setAttribute('aria-pressed', String(this.editing));
    button.textContent = this.editing ? 'Done' : 'Edit';
    if (this.editing) editor.focus();
    else this.captureEdit();
  }

  /** CodeMirror, loaded on first use; the plain textarea stays if it cannot load. */
  ensureEditor() {
    if (!this.editorReady) {
      const textarea = this.$('textarea[data-role="editor"]');
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
            parent: this.$('.editor-slot'),
            root: this.shadow,
            doc: textarea.value,
            language: this.language,
            dark: this.host.dataset.theme === 'dark',
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
    this.$('button[data-action="revert"]').hidden = this.edited === null;
    this.$('[data-role="edited"]').hidden = this.edited === null;
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

let editorModule = null;
function loadEditorModule() {
  // A module of the extension, imported into this content script's world on first Edit.
  editorModule ||= import(chrome.runtime.getURL('build/editor.js'));
  return editorModule;
}

// The panel's markup, parsed once and cloned for each panel.
let template = null;
function panelTemplate() {
  if (!template) {
    template = document.createElement('template');
    template.innerHTML = TEMPLATE;
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
  li.textContent = `${run.status} · ${formatDuration(run.execution_time_ms)} · ${when.toLocaleString()} · ${run.device}`;
  if (run.preview) {
    const preview = document.createElement('pre');
    preview.textContent = run.preview;
    li.appendChild(preview);
  }
  return li;
}

function formatDuration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

const TEMPLATE = `
<div class="panel" part="panel">
  <div class="bar">
    <select data-role="language" aria-label="Language"></select>
    <span class="title" data-role="title"></span>
    <span class="edited" data-role="edited" hidden>edited</span>
    <span class="spacer"></span>
    <span data-role="status" role="status" aria-live="polite"></span>
    ${BUTTONS.map(([action, label, description]) =>
      `<button type="button" data-action="${action}" aria-label="${description}" title="${description}">${label}</button>`,
    ).join('')}
  </div>
  <div class="editor" hidden>
    <div class="editor-slot"></div>
    <textarea data-role="editor" aria-label="Code to run" spellcheck="false" autocomplete="off"></textarea>
    <div class="hint">Ctrl+Enter (⌘+Enter) runs the edited code. The page's block is not changed.</div>
  </div>
  <div data-role="notice" role="note" hidden></div>
  <ol data-role="history" aria-label="Earlier runs" hidden></ol>
  <div data-role="output" role="log" aria-label="Output" tabindex="0"></div>
  <form data-role="input-form" hidden>
    <input data-role="input" aria-label="Input for the program" autocomplete="off">
    <button type="button" data-action="send-input">Send</button>
  </form>
</div>`;
