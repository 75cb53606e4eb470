// The language registry: the only place a language is named. Block detection, the panel (its
// menu, Reset for kernels), the editor, the options form and the runner manager all read it.
// A new language is one entry here, one runner module, its vendoring line and its tests.
//
// Entry fields:
//   label       display name (menus, notices); also recognised as a label on the page
//   aliases     names a site may use for it (classes, data attributes, labels), lower case
//   extensions  file name endings that mean it (a header showing "main.py")
//   runner      the runner module, a path inside the extension (the offscreen document imports it)
//   limitMs     default time limit of a run
//   kernel      true: state is kept per conversation (a kernel each), with Reset
//   keeps       (kernels) what that state is in the user's words: 'variables' | 'tables'
//   preload     true: a page showing a block of it may warm a kernel in the background
//   editor      the editor's syntax mode
//   infer       {rules: [[pattern, weight]], min, adds?}: a guess from the code when the site gives
//               no language; `adds` names a language whose score this one builds on; a negative
//               weight is evidence against
//   refines     {language, min}?: a block the site names `language` is offered as this one when
//               this one's own rules score at least `min` on its code (a more specific dialect);
//               `language` may be a name Chatrun cannot run itself (`xml` whose root is <svg>)
//   preview     'document' | 'style' | 'script'?: its part in a live preview (content/preview-
//               runner.js): a document (HTML, SVG) or a style (CSS) is shown by the panel in an
//               isolated frame, not run by a runner; a script can be added to the HTML above it.
//               For those two, `runner` names the preview runner and `limitMs` is how long the
//               document may take to load.

const JS_RULES = [
  [/\bconsole\.(log|error|warn|info|table)\s*\(/, 3],
  [/^\s*(const|let|var)\s+[\w$[{]/m, 2],
  [/=>/, 2],
  [/\bfunction\s*[\w$]*\s*\(/, 2],
  [/;\s*$/m, 1],
  [/===|!==/, 2],
  [/\b(async|await)\b/, 1],
  [/\b(require\s*\(|import\s+.*\s+from\s+['"]|export\s+(default|const|function))/, 2],
  [/\bnew\s+(Map|Set|Promise|Date|Array|Error)\b/, 2],
  [/\bdocument\.|\bwindow\./, 1],
  [/`[^`]*\$\{/, 2],
  [/^\s*\/\/.*/m, 1],
];

// Unmistakable SQL only: statements at the start of a line, in upper case as answers write them,
// and evidence against when the block is a host language that merely embeds SQL in strings.
const SQL_RULES = [
  [/^\s*CREATE\s+(TEMP(ORARY)?\s+)?(TABLE|VIEW|(UNIQUE\s+)?INDEX|TRIGGER)\s/m, 4],
  [/^\s*INSERT\s+(OR\s+\w+\s+)?INTO\s+[\w."]+[^;]*\bVALUES\b/m, 4],
  [/^\s*SELECT\s[^;]*?\bFROM\s+[\w."(]/m, 3],
  [/^\s*(UPDATE\s+[\w."]+\s+SET|DELETE\s+FROM)\s/m, 3],
  [/^\s*WITH\s+(RECURSIVE\s+)?\w+(\s*\([^)]*\))?\s+AS\s*\(/m, 3],
  [/\b(PRIMARY\s+KEY|NOT\s+NULL|FOREIGN\s+KEY|REFERENCES|GROUP\s+BY|ORDER\s+BY|LEFT\s+JOIN|INNER\s+JOIN)\b/, 1],
  [/;\s*$/m, 1],
  [/^\s*(import|from\s+\S+\s+import|def|class|const|let|var|function)\s/m, -6],
  [/\b(execute|query|cursor|connect|console\.log|print)\s*\(|"""|`/, -6],
];

// A whole HTML document, or an SVG image (after an XML declaration, comments or a doctype).
const HTML_RULES = [
  [/^\s*(<!--[\s\S]*?-->\s*)*<!doctype\s+html\b/i, 6],
  [/^\s*(<!--[\s\S]*?-->\s*)*<html[\s>]/i, 6],
  [/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype\s+svg[^>]*>\s*)?<svg[\s>]/i, 6],
];

export const LANGUAGES = deepFreeze({
  javascript: {
    label: 'JavaScript',
    aliases: ['javascript', 'js', 'mjs', 'cjs', 'node', 'nodejs', 'jsx', 'ecmascript', 'es6'],
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    runner: 'offscreen/js-runner-host.js',
    preview: 'script',
    limitMs: 10000,
    kernel: false,
    preload: false,
    editor: 'javascript',
    infer: { rules: JS_RULES, min: 3 },
  },
  typescript: {
    label: 'TypeScript',
    aliases: ['typescript', 'ts', 'mts', 'cts', 'tsx', 'deno'],
    extensions: ['.ts', '.mts', '.cts', '.tsx'],
    runner: 'offscreen/js-runner-host.js',
    limitMs: 10000,
    kernel: false,
    preload: false,
    editor: 'typescript',
    infer: {
      rules: [
        [/^\s*(export\s+)?interface\s+\w+/m, 4],
        [/^\s*(export\s+)?type\s+\w+\s*(<[^>]*>)?\s*=/m, 4],
        [/\b(const|let|var)\s+\w+\s*:\s*[\w[\]<>|]+\s*=/, 4],
        [/\(\s*\w+\s*:\s*(number|string|boolean|any|unknown|[A-Z]\w*)(\[\])?\s*[,)]/, 4],
        [/\)\s*:\s*(number|string|boolean|void|Promise<)/, 3],
        [/\b(enum|implements|readonly|private|public|protected)\s+\w+/, 2],
        [/\bas\s+(const|string|number|unknown|any)\b/, 2],
      ],
      min: 4,
      adds: 'javascript', // TypeScript is JavaScript plus types
    },
  },
  python: {
    label: 'Python',
    aliases: ['python', 'py', 'python3', 'py3', 'pyodide', 'ipython', 'python-repl-free'],
    extensions: ['.py', '.pyw'],
    runner: 'offscreen/py-kernel.js',
    limitMs: 30000,
    kernel: true,
    keeps: 'variables',
    preload: true,
    editor: 'python',
    infer: {
      rules: [
        [/^\s*def\s+\w+\s*\(.*\)\s*(->\s*[^:]+)?:\s*$/m, 3],
        [/^\s*class\s+\w+(\(.*\))?\s*:\s*$/m, 3],
        [/^\s*(from\s+[\w.]+\s+)?import\s+[\w.]+(\s+as\s+\w+)?(,\s*[\w.]+)*\s*$/m, 2],
        [/^\s*(if|elif|while|for|with|try|except|else|finally)\b.*:\s*$/m, 2],
        [/\bprint\s*\(/, 2],
        [/\bfor\s+\w+(\s*,\s*\w+)*\s+in\s+/, 1],
        [/\brange\s*\(/, 1],
        [/\b(True|False|None)\b/, 1],
        [/\bf"[^"]*\{|\bf'[^']*\{/, 2],
        [/^\s*#(?!include|!).*/m, 1],
        [/\bself\.\w+/, 1],
        [/\belif\b|\blambda\b|\bnonlocal\b/, 2],
      ],
      min: 3,
    },
  },
  sql: {
    label: 'SQL (SQLite)',
    aliases: ['sql', 'sqlite', 'sqlite3'],
    extensions: ['.sql'],
    runner: 'offscreen/sqlite-kernel.js',
    limitMs: 30000,
    kernel: true,
    keeps: 'tables',
    preload: false, // a new database takes ~0.1 s
    editor: 'sqlite',
    infer: { rules: SQL_RULES, min: 5 },
  },
  postgresql: {
    label: 'SQL (PostgreSQL)',
    aliases: ['postgresql', 'postgres', 'psql', 'pgsql', 'plpgsql'],
    extensions: ['.pgsql', '.psql'],
    runner: 'offscreen/pglite-kernel.js',
    limitMs: 30000,
    kernel: true,
    keeps: 'tables',
    preload: true, // a new database takes ~1 s (the very first one, made by initdb, ~10 s)
    editor: 'postgresql',
    infer: {
      // PostgreSQL-only syntax; what SQLite accepts too (RETURNING, GENERATED ... AS (expr)) is
      // weak evidence at most.
      rules: [
        [/\b(SMALL|BIG)?SERIAL\b/i, 3],
        [/\bILIKE\b/i, 3],
        [/::\s*(int[248]?|integer|bigint|smallint|text|varchar|char|numeric|decimal|real|float[48]|double|bool(ean)?|date|time(stamp)?(tz)?|interval|jsonb?|uuid|bytea|regclass|money)\b/i, 3],
        [/\$(\w*)\$[\s\S]*\$\1\$/, 3],
        [/\bGENERATED\s+(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b/i, 3],
        [/\bLANGUAGE\s+plpgsql\b/i, 3],
        [/\b(generate_series|to_char|date_trunc|array_agg|jsonb_\w+)\s*\(/i, 3],
        [/\bDISTINCT\s+ON\s*\(/i, 3],
        [/\b(JSONB|TIMESTAMPTZ|BYTEA|TSVECTOR|INET)\b/i, 2],
        [/\bINTERVAL\s+'|\bARRAY\[|\bNOW\(\)/i, 2],
        [/\bRETURNING\b/i, 1],
      ],
      min: 3,
      adds: 'sql', // PostgreSQL is SQL plus its own syntax
    },
    refines: { language: 'sql', min: 3 },
  },
  html: {
    label: 'HTML',
    aliases: ['html', 'htm', 'xhtml', 'html5', 'svg'],
    extensions: ['.html', '.htm', '.xhtml', '.svg'],
    runner: 'content/preview-runner.js',
    preview: 'document',
    limitMs: 10000,
    kernel: false,
    preload: false,
    editor: 'html',
    infer: { rules: HTML_RULES, min: 6 },
    refines: { language: 'xml', min: 6 }, // an `xml` block whose root is <svg>
  },
  css: {
    label: 'CSS',
    aliases: ['css'],
    extensions: ['.css'],
    runner: 'content/preview-runner.js',
    preview: 'style',
    limitMs: 10000,
    kernel: false,
    preload: false,
    editor: 'css',
    infer: { rules: [], min: Infinity }, // never guessed: CSS alone shows nothing
  },
  r: {
    label: 'R',
    aliases: ['r', 'rscript', 'splus'],
    extensions: ['.r'], // and .R: file names are matched in lower case
    runner: 'offscreen/r-kernel.js',
    limitMs: 30000,
    kernel: true,
    keeps: 'variables',
    preload: true, // a new R session takes seconds
    editor: 'r',
    infer: {
      // Unmistakable R only: a `<-` assignment together with R's own calls. `<-` alone is also
      // Haskell's, Scala's and OCaml's; a host language's declarations are evidence against.
      rules: [
        [/^\s*[\w.]+(\$\w+|\[[^\]\n]*\])?\s*<-\s*\S/m, 2],
        [/<-\s*(c|data\.frame|list|matrix|factor|seq|rep|function|read\.csv|rnorm|runif|lm|table|sapply|lapply)\s*\(/, 3],
        [/^\s*(library|require)\s*\(\s*[\w.]+\s*\)/m, 3],
        [/\b(data\.frame|paste0|sapply|lapply|vapply|tapply|seq_len|nrow|ncol|is\.na|summary|str|cat)\s*\(/, 1],
        [/\b(TRUE|FALSE|NULL|NA)\b/, 1],
        [/^\s*(import|from\s+\S+\s+import|def|class|const|let|var|fn|func|package|#include)\s/m, -6],
      ],
      min: 5,
    },
  },
});

// Languages a site may name that Chatrun cannot run: a label naming one of these is an answer
// ("not runnable"), so detection must not fall back to guessing from the code.
const OTHER_LANGUAGES = (
  'text plaintext plain txt output console shell sh bash zsh fish powershell ps1 cmd bat ' +
  'html xml svg css scss less json jsonc yaml yml toml ini csv markdown md sql diff patch ' +
  'c cpp c++ h hpp csharp cs java kotlin scala go golang rust rs ruby rb php perl lua r ' +
  'swift dart haskell elixir erlang clojure lisp scheme ocaml fsharp vb matlab julia ' +
  'dockerfile makefile nginx graphql proto protobuf latex tex log http regex mermaid ' +
  'ansi terminal vue svelte astro objectivec objective-c assembly asm wasm ' +
  'mysql mariadb tsql t-sql mssql plsql oracle'
).split(/\s+/);

export const LANGUAGE_IDS = Object.freeze(Object.keys(LANGUAGES));

const BY_NAME = new Map(
  LANGUAGE_IDS.flatMap((id) => [id, LANGUAGES[id].label.toLowerCase(), ...LANGUAGES[id].aliases].map((name) => [name, id])),
);
const NOT_RUNNABLE = new Set([...OTHER_LANGUAGES, 'code snippet'].filter((name) => !BY_NAME.has(name)));
// Names Chatrun cannot run that an entry may still take a block of (`refines`): kept as stated.
const REFINABLE = new Set(LANGUAGE_IDS.map((id) => LANGUAGES[id].refines?.language).filter((name) => name && !BY_NAME.has(name)));
const BY_EXTENSION = new Map(LANGUAGE_IDS.flatMap((id) => LANGUAGES[id].extensions.map((ext) => [ext, id])));

export function isRunnable(id) {
  return Object.hasOwn(LANGUAGES, id);
}

export function isKernelLanguage(id) {
  return isRunnable(id) && LANGUAGES[id].kernel;
}

/** Shown by the panel's preview frame (a document or a style), not run by a runner. */
export function isPreviewLanguage(id) {
  return isRunnable(id) && ['document', 'style'].includes(LANGUAGES[id].preview);
}

/** Its part in a preview: 'document' | 'style' | 'script' | null. */
export function previewRole(id) {
  return (isRunnable(id) && LANGUAGES[id].preview) || null;
}

/** The language a preview of this block records and shows (the one whose role is 'document'). */
export const PREVIEW_LANGUAGE = LANGUAGE_IDS.find((id) => LANGUAGES[id].preview === 'document');

/** What a conversation's kernel of `id` keeps, in words ("variables", "tables"). */
export function keptBy(id) {
  return (isKernelLanguage(id) && LANGUAGES[id].keeps) || 'variables';
}

/** The labels of the languages whose entries have `field` set, as words ("Python, R and SQL"). */
export function labelsWhere(field) {
  const labels = LANGUAGE_IDS.filter((id) => LANGUAGES[id][field]).map(labelOf);
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : labels.join('');
}

export function labelOf(id) {
  return isRunnable(id) ? LANGUAGES[id].label : String(id);
}

/**
 * The language a label or class token names: its id, `null` if it names a language Chatrun
 * cannot run, `undefined` if it is not a language name at all. A name an entry `refines`
 * (`xml`) is returned as it is, for blockLanguage to decide from the code.
 */
export function languageNamed(raw) {
  if (raw == null) return undefined;
  const name = String(raw).trim().toLowerCase().replace(/^language-|^lang-/, '');
  if (!name) return undefined;
  if (BY_NAME.has(name)) return BY_NAME.get(name);
  if (REFINABLE.has(name)) return name;
  if (NOT_RUNNABLE.has(name)) return null;
  return undefined;
}

/** The language of a file name ("main.py", "*.ts"): its id, or undefined. */
export function languageOfFile(name) {
  const match = /(\.[a-z0-9+]+)$/i.exec(String(name || '').trim());
  return match ? BY_EXTENSION.get(match[1].toLowerCase()) : undefined;
}

/** Best guess among runnable languages from the code alone, or null when the evidence is weak. */
export function inferLanguage(code) {
  const text = String(code || '');
  if (text.trim().length < 4) return null;
  const own = new Map(LANGUAGE_IDS.map((id) => [id, score(text, LANGUAGES[id].infer.rules)]));
  let best = null;
  let bestScore = 0;
  let tie = false;
  for (const id of LANGUAGE_IDS) {
    const { min, adds } = LANGUAGES[id].infer;
    if (own.get(id) < min) continue;
    const total = own.get(id) + (adds ? own.get(adds) : 0);
    if (total > bestScore) [best, bestScore, tie] = [id, total, false];
    else if (total === bestScore) tie = true;
  }
  return tie ? null : best;
}

/**
 * The language to offer for a block the site names `stated` (an id, null, or undefined when it
 * says nothing): a more specific dialect when its rules say so (`refines`), else what the site
 * says; a guess from the code when it says nothing.
 */
export function blockLanguage(stated, code) {
  if (stated === undefined) return inferLanguage(code);
  const text = String(code || '');
  const refined = LANGUAGE_IDS.find((id) => {
    const { refines, infer } = LANGUAGES[id];
    return refines?.language === stated && score(text, infer.rules) >= refines.min;
  });
  if (refined) return refined;
  return stated === null || isRunnable(stated) ? stated : null;
}

function score(code, rules) {
  return rules.reduce((sum, [pattern, weight]) => sum + (pattern.test(code) ? weight : 0), 0);
}

function deepFreeze(value) {
  if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
