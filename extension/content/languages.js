// Language names: canonical ids, aliases and display names, what is runnable, and a
// conservative inference for sites that say nothing about the language.

export const RUNNABLE = Object.freeze(['javascript', 'typescript', 'python']);

export const DISPLAY_NAMES = Object.freeze({
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  python: 'Python',
});

const ALIASES = new Map(
  Object.entries({
    javascript: ['javascript', 'js', 'mjs', 'cjs', 'node', 'nodejs', 'jsx', 'ecmascript', 'es6'],
    typescript: ['typescript', 'ts', 'mts', 'cts', 'tsx', 'deno'],
    python: ['python', 'py', 'python3', 'py3', 'pyodide', 'ipython', 'python-repl-free'],
  }).flatMap(([canonical, names]) => names.map((name) => [name, canonical])),
);

// Known languages we cannot run: a label naming one of these is an answer ("not runnable"),
// so we must not fall back to guessing from the code.
const KNOWN_OTHER = new Set(
  ('text plaintext plain txt output console shell sh bash zsh fish powershell ps1 cmd bat ' +
    'html xml svg css scss less json jsonc yaml yml toml ini csv markdown md sql diff patch ' +
    'c cpp c++ h hpp csharp cs java kotlin scala go golang rust rs ruby rb php perl lua r ' +
    'swift dart haskell elixir erlang clojure lisp scheme ocaml fsharp vb matlab julia ' +
    'dockerfile makefile nginx graphql proto protobuf latex tex log http regex mermaid ' +
    'ansi terminal vue svelte astro objectivec objective-c assembly asm wasm')
    .split(/\s+/)
    .filter(Boolean),
);

/** Canonical runnable name for a label/class token, `null` if it names another language,
 *  `undefined` if it is not a language name at all. */
export function normalizeLanguage(raw) {
  if (raw == null) return undefined;
  const name = String(raw).trim().toLowerCase().replace(/^language-|^lang-/, '');
  if (!name) return undefined;
  if (ALIASES.has(name)) return ALIASES.get(name);
  if (KNOWN_OTHER.has(name) || name === 'code snippet') return null;
  return undefined;
}

export function isRunnable(language) {
  return RUNNABLE.includes(language);
}

// Languages whose runs keep state per conversation (a kernel), with Reset.
const KERNEL_LANGUAGES = new Set(['python']);

export function isKernelLanguage(language) {
  return KERNEL_LANGUAGES.has(language);
}

// --- inference -----------------------------------------------------------------------------
// Only used when the site gives no language at all. Each rule is a strong, idiomatic signal;
// plain text (program output, prose) scores nothing and stays unrunnable.
const PYTHON_RULES = [
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
];
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
const TS_RULES = [
  [/^\s*(export\s+)?interface\s+\w+/m, 4],
  [/^\s*(export\s+)?type\s+\w+\s*(<[^>]*>)?\s*=/m, 4],
  [/\b(const|let|var)\s+\w+\s*:\s*[\w[\]<>|]+\s*=/, 4],
  [/\(\s*\w+\s*:\s*(number|string|boolean|any|unknown|[A-Z]\w*)(\[\])?\s*[,)]/, 4],
  [/\)\s*:\s*(number|string|boolean|void|Promise<)/, 3],
  [/\b(enum|implements|readonly|private|public|protected)\s+\w+/, 2],
  [/\bas\s+(const|string|number|unknown|any)\b/, 2],
];

function score(code, rules) {
  return rules.reduce((sum, [pattern, weight]) => sum + (pattern.test(code) ? weight : 0), 0);
}

/** Best guess among runnable languages, or null when the evidence is weak. */
export function inferLanguage(code) {
  const text = String(code || '');
  if (text.trim().length < 4) return null;
  const python = score(text, PYTHON_RULES);
  const js = score(text, JS_RULES);
  const ts = score(text, TS_RULES);
  const best = Math.max(python, js, ts);
  if (best < 3) return null;
  if (ts >= 4 && ts + js > python) return 'typescript';
  if (python > js && python >= 3) return 'python';
  if (js > python && js >= 3) return 'javascript';
  return null;
}
