// The panel's code editor: CodeMirror 6, loaded on first Edit (not on every page) from
// build/editor.js. Ctrl/Cmd+Enter runs — from a trusted key press only. Light and dark themes
// (colours from the panel's palette, AA contrast) switch live with the page; the line an error
// points at is marked.
import { EditorView, basicSetup } from 'codemirror';
import { Compartment, EditorState, Prec, StateEffect, StateField } from '@codemirror/state';
import { Decoration } from '@codemirror/view';
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { PostgreSQL, SQLite, sql } from '@codemirror/lang-sql';
import { r } from '@codemirror/legacy-modes/mode/r';
import { html } from '@codemirror/legacy-modes/mode/xml';
import { css } from '@codemirror/legacy-modes/mode/css';
import { LANGUAGES } from '../../shared/languages.js';
import { PALETTE } from '../panel/palette.js';

// Syntax modes by the registry's `editor` field.
const MODES = {
  javascript: () => javascript(),
  typescript: () => javascript({ typescript: true }),
  python: () => python(),
  sqlite: () => sql({ dialect: SQLite }),
  postgresql: () => sql({ dialect: PostgreSQL }),
  r: () => StreamLanguage.define(r),
  html: () => StreamLanguage.define(html),
  css: () => StreamLanguage.define(css),
};

function languageSupport(language) {
  const mode = MODES[LANGUAGES[language]?.editor];
  return mode ? mode() : [];
}

function highlightStyle(c) {
  return HighlightStyle.define([
    { tag: [tags.keyword, tags.operatorKeyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: c.keyword },
    { tag: [tags.string, tags.special(tags.string), tags.regexp, tags.escape], color: c.string },
    { tag: [tags.number, tags.bool, tags.null, tags.atom, tags.constant(tags.name), tags.self], color: c.number },
    { tag: [tags.comment, tags.lineComment, tags.blockComment, tags.meta], color: c.comment, fontStyle: 'italic' },
    { tag: [tags.function(tags.variableName), tags.function(tags.propertyName), tags.definition(tags.function(tags.variableName))], color: c.function },
    { tag: [tags.typeName, tags.className, tags.namespace, tags.definition(tags.typeName)], color: c.type },
    { tag: [tags.propertyName, tags.attributeName], color: c.number },
    { tag: tags.invalid, color: c.keyword },
    { tag: [tags.variableName, tags.operator, tags.punctuation, tags.bracket, tags.content], color: c.fg },
  ]);
}

function theme(c, dark) {
  return [
    EditorView.theme({
      '&': { color: c.fg, backgroundColor: c.editorBg },
      '.cm-content': { caretColor: c.fg },
      '.cm-gutters': { backgroundColor: c.gutterBg, color: c.gutterFg, border: 'none' },
      '.cm-activeLine': { backgroundColor: c.activeLine },
      '.cm-activeLineGutter': { backgroundColor: c.activeLine, color: c.fg },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: c.fg },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: c.selection },
      '.cm-chatrun-error': { backgroundColor: c.errorLine, boxShadow: `inset 3px 0 0 ${c.markEdge}` },
      '.cm-matchingBracket': { backgroundColor: c.selection, outline: `1px solid ${c.border}` },
      '.cm-tooltip, .cm-panels': { backgroundColor: c.control, color: c.fg, border: `1px solid ${c.border}` },
      '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: c.hover, color: c.fg },
    }, { dark }),
    syntaxHighlighting(highlightStyle(c)),
  ];
}

const baseTheme = EditorView.theme({
  '&': { fontSize: '12.5px', maxHeight: '420px', border: '1px solid var(--border)', borderRadius: '6px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
});

// The line an error points at: one line decoration, moved along with edits.
const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const n = effect.value;
      marks = n && n >= 1 && n <= tr.state.doc.lines
        ? Decoration.set([Decoration.line({ class: 'cm-chatrun-error' }).range(tr.state.doc.line(n).from)])
        : Decoration.none;
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor({ parent, root, doc, language, dark, label = 'Code to run', onRun }) {
  const languageSlot = new Compartment();
  const themeSlot = new Compartment();
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
  const themeFor = (isDark) => theme(isDark ? PALETTE.dark : PALETTE.light, isDark);
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
        Prec.high(themeSlot.of(themeFor(dark))),
        errorLine,
        EditorView.contentAttributes.of({ 'aria-label': label }),
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
    setDark(isDark) {
      view.dispatch({ effects: themeSlot.reconfigure(themeFor(isDark)) });
    },
    /** Mark line `n` (1-based) as the one an error points at; null clears it. */
    markLine(n) {
      view.dispatch({ effects: setErrorLine.of(n) });
      if (n && n <= view.state.doc.lines) {
        view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(n).from, { y: 'nearest' }) });
      }
    },
    focus() {
      view.focus();
    },
  };
}
