// The panel's code editor: CodeMirror 6, loaded on first Edit (not on every page) from
// build/editor.js. Ctrl/Cmd+Enter runs — from a trusted key press only.
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { PostgreSQL, SQLite, sql } from '@codemirror/lang-sql';
import { StreamLanguage } from '@codemirror/language';
import { r } from '@codemirror/legacy-modes/mode/r';
import { LANGUAGES } from '../../shared/languages.js';

// Syntax modes by the registry's `editor` field.
const MODES = {
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  python: () => python(),
  sqlite: () => sql({ dialect: SQLite }),
  postgresql: () => sql({ dialect: PostgreSQL }),
  r: () => StreamLanguage.define(r),
};

function languageSupport(language) {
  const mode = MODES[LANGUAGES[language]?.editor];
  return mode ? mode() : [];
}

const darkTheme = EditorView.theme(
  {
    '&': { color: '#e6edf3', backgroundColor: '#2b2d31' },
    '.cm-gutters': { backgroundColor: '#2b2d31', color: '#9198a1', border: 'none' },
    '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: '#33363c' },
    '.cm-cursor': { borderLeftColor: '#e6edf3' },
    '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: '#3a4a63' },
  },
  { dark: true },
);

const baseTheme = EditorView.theme({
  '&': { fontSize: '12.5px', maxHeight: '420px', border: '1px solid var(--border)', borderRadius: '6px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
});

export function createEditor({ parent, root, doc, language, dark, onRun }) {
  const languageSlot = new Compartment();
  const runKey = Prec.highest(
    EditorView.domEventHandlers({
      keydown(event) {
        if (!event.isTrusted || event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return false;
        event.preventDefault();
        onRun();
        return true;
      },
    }),
  );
  const view = new EditorView({
    parent,
    root,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        runKey,
        languageSlot.of(languageSupport(language)),
        baseTheme,
        dark ? darkTheme : [],
        EditorView.contentAttributes.of({ 'aria-label': 'Code to run' }),
      ],
    }),
  });
  view.dom.setAttribute('data-role', 'editor');
  return {
    get value() {
      return view.state.doc.toString();
    },
    set value(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(next) {
      view.dispatch({ effects: languageSlot.reconfigure(languageSupport(next)) });
    },
    focus() {
      view.focus();
    },
  };
}
