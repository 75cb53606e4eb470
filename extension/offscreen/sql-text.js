// SQL text, as the SQL workers read it: where a statement's first token is, on which line, and
// (for PostgreSQL, which PGlite runs one whole string at a time) where psql would split a script.
// Pure functions: tests/js/sql-text.test.mjs runs them in Node.

/** Offset of the first token at or after `from`: whitespace and comments skipped. */
export function skipTrivia(text, from = 0) {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i])) i += 1;
    else if (text.startsWith('--', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = text.includes('*/', i + 2) ? text.indexOf('*/', i + 2) + 2 : text.length;
    else break;
  }
  return i;
}

export function lineEnd(text, i) {
  const end = text.indexOf('\n', i);
  return end < 0 ? text.length : end;
}

export const lineOf = (text, offset) => text.slice(0, offset).split('\n').length;

function endOfQuoted(code, i, quote, backslashes) {
  for (let j = i + 1; j < code.length; j += 1) {
    if (backslashes && code[j] === '\\') j += 1;
    else if (code[j] === quote) {
      if (code[j + 1] !== quote) return j + 1;
      j += 1; // a doubled quote stands for itself
    }
  }
  return code.length;
}

function endOfComment(code, i) {
  let depth = 0; // PostgreSQL's block comments nest
  for (let j = i; j < code.length - 1; j += 1) {
    if (code[j] === '/' && code[j + 1] === '*') [depth, j] = [depth + 1, j + 1];
    else if (code[j] === '*' && code[j + 1] === '/') {
      [depth, j] = [depth - 1, j + 1];
      if (depth === 0) return j + 1;
    }
  }
  return code.length;
}

const COPY_FROM_STDIN = /^COPY\b[^;]*\bFROM\s+STDIN\b/i;
const END_OF_COPY_DATA = /^\\\.\r?$/m; // a line that is only "\."

/**
 * The statements of a block as psql sends them: split at semicolons outside quotes, comments,
 * dollar-quoted bodies and parentheses. [{start, text, data?}], statements of only comments
 * dropped. As in psql, `COPY ... FROM STDIN;` takes the lines after it, up to a line `\.`, as
 * its `data`.
 */
export function splitStatements(code) {
  const statements = [];
  let start = 0;
  let depth = 0;
  // Returns where splitting goes on: after the statement, or after its COPY data.
  const cut = (end) => {
    const first = skipTrivia(code, start);
    if (first < end) statements.push({ start, text: code.slice(start, end) });
    start = end;
    if (first >= end || !COPY_FROM_STDIN.test(code.slice(first, end))) return end;
    const lineAfter = code.indexOf('\n', end);
    const from = lineAfter < 0 ? code.length : lineAfter + 1;
    const stop = END_OF_COPY_DATA.exec(code.slice(from));
    statements[statements.length - 1].data = code.slice(from, stop ? from + stop.index : code.length);
    start = stop ? Math.min(code.length, lineEnd(code, from + stop.index) + 1) : code.length;
    return start;
  };
  for (let i = 0; i < code.length;) {
    const c = code[i];
    const before = code[i - 1] ?? '';
    if (c === '-' && code[i + 1] === '-') {
      const end = code.indexOf('\n', i);
      i = end < 0 ? code.length : end;
    } else if (c === '/' && code[i + 1] === '*') {
      i = endOfComment(code, i);
    } else if (c === "'") {
      // E'...' strings take backslash escapes; standard strings do not.
      i = endOfQuoted(code, i, c, /[eE]/.test(before) && !/[\w$]/.test(code[i - 2] ?? ''));
    } else if (c === '"') {
      i = endOfQuoted(code, i, c, false);
    } else if (c === '$' && !/[\w$]/.test(before) && /^\$([A-Za-z_]\w*)?\$/.test(code.slice(i, i + 65))) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(code.slice(i, i + 65))[0];
      const close = code.indexOf(tag, i + tag.length);
      i = close < 0 ? code.length : close + tag.length;
    } else {
      if (c === '(') depth += 1;
      else if (c === ')') depth = Math.max(0, depth - 1);
      if (c === ';' && depth === 0) i = cut(i + 1);
      else i += 1;
    }
  }
  cut(code.length);
  return statements;
}
