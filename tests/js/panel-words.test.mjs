// What the Run panel says (extension/content/panel/run-words.js) and its colours
// (extension/content/panel/palette.js): state words, where an error is, the failing line with a
// caret, the message for the chat, and WCAG AA contrast of every pair the panel and editor draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  askMessage, errorLocation, errorPart, errorSummary, formatDuration, sourceExcerpt, statusWords,
} from '../../extension/content/panel/run-words.js';
import { PALETTE, contrastPairs, contrastRatio } from '../../extension/content/panel/palette.js';

test('states in words; data-state values are not words', () => {
  assert.equal(statusWords('idle'), 'Ready');
  assert.equal(statusWords('loading', { label: 'Python', elapsedMs: 2100 }), 'Loading Python… 2.1 s');
  assert.equal(statusWords('running', { elapsedMs: 1234 }), 'Running 1.2 s');
  assert.equal(statusWords('awaiting-input'), 'Waiting for input');
  assert.equal(statusWords('success', { result: { durationMs: 8 } }), 'Done · 8 ms');
  assert.equal(statusWords('success', { result: { durationMs: 120, loadMs: 3200 } }), 'Done · 120 ms · loading 3.20 s');
  assert.equal(statusWords('success', { result: { durationMs: 120, loadMs: 5 } }), 'Done · 120 ms');
  assert.equal(statusWords('error', { result: { durationMs: 12 } }), 'Error · 12 ms');
  assert.equal(statusWords('timeout', { result: { durationMs: 10000 } }), 'Time limit reached');
  assert.equal(statusWords('stopped', { result: { durationMs: 5 } }), 'Stopped');
  assert.equal(formatDuration(12345), '12.3 s');
});

const PY_TRACE = `Traceback (most recent call last):
  File "<block>", line 5, in <module>
    print(total(xs))
          ^^^^^^^^^
  File "<block>", line 3, in total
    return sum(xs) / len(ys)
                         ^^
NameError: name 'ys' is not defined
`;
const PY_CODE = 'xs = [1, 2]\ndef total(xs):\n    return sum(xs) / len(ys)\n\nprint(total(xs))';

test('Python: the innermost frame of the block, the caret under CPython\'s own', () => {
  const lines = PY_CODE.split('\n');
  const location = errorLocation(PY_TRACE, (n) => lines[n - 1]);
  assert.deepEqual(location, { line: 3, column: 26, width: 2 });
  assert.equal(errorSummary(PY_TRACE), "NameError: name 'ys' is not defined");
  const excerpt = sourceExcerpt(PY_CODE, location, 0);
  assert.deepEqual(excerpt.rows.map((r) => [r.number, r.current]), [[2, false], [3, true]]);
  assert.equal(excerpt.caret, `${' '.repeat(25)}^^`);
  assert.equal(lines[2].slice(25, 27), 'ys');
});

test('Python: a line without carets is underlined whole; a SyntaxError keeps its File line', () => {
  const trace = 'Traceback (most recent call last):\n  File "<block>", line 2, in <module>\n    raise ValueError("no")\nValueError: no\n';
  const code = '<!-- marker -->\n  raise ValueError("no")'.split('\n').slice(1).join('\n');
  const location = errorLocation(trace, () => '  raise ValueError("no")');
  assert.deepEqual(location, { line: 2, column: null, width: null });
  const excerpt = sourceExcerpt(code, location, 1); // one marker line above the code on the page
  assert.equal(excerpt.rows.length, 1);
  assert.equal(excerpt.caret, `  ${'^'.repeat('raise ValueError("no")'.length)}`);
  const syntax = '  File "<block>", line 1\n    print("a"\n         ^\nSyntaxError: \'(\' was never closed\n';
  assert.equal(errorPart(syntax), syntax);
  assert.deepEqual(errorLocation(syntax, () => 'print("a"'), { line: 1, column: 6, width: 1 });
  assert.equal(errorSummary(syntax), "SyntaxError: '(' was never closed");
});

test('JavaScript, SQL and chained output: the last error, its line and column', () => {
  const js = "before\nUncaught TypeError: Cannot read properties of undefined (reading 'foo')\n    at f (line 3:15)\n    at line 5:1\n";
  assert.equal(errorPart(js).split('\n')[0].slice(0, 19), 'Uncaught TypeError:');
  assert.deepEqual(errorLocation(errorPart(js)), { line: 3, column: 15, width: null });
  assert.equal(errorSummary(errorPart(js)), "Uncaught TypeError: Cannot read properties of undefined (reading 'foo')");
  assert.deepEqual(errorLocation('SyntaxError: Unexpected token (line 2, column 7)\n'), { line: 2, column: 7, width: null });
  const sql = 'Error in statement 2 at line 4: SELEC 1;\nnear "SELEC": syntax error\n';
  assert.deepEqual(errorLocation(sql), { line: 4, column: null, width: null });
  assert.equal(errorSummary(sql), 'near "SELEC": syntax error');
  const pg = 'Error in statement 1 at line 1: SELECT nope;\ncolumn "nope" does not exist\nLINE 1: SELECT nope;\n               ^\n';
  assert.deepEqual(errorLocation(pg), { line: 1, column: 8, width: 1 });
  assert.equal(errorLocation('Error: boom\n'), null);
});

test('the message for the chat names the code, the error and the last traceback lines, briefly', () => {
  const message = askMessage({
    label: 'Python', title: null, code: '\nxs = [1, 2]\nprint(xs[5])', errorText: PY_TRACE, location: { line: 3 },
  });
  assert.match(message, /^My Python code starting `xs = \[1, 2\]` fails at line 3 with this error:\n\n/);
  assert.ok(message.includes("NameError: name 'ys' is not defined"));
  assert.ok(!message.includes('Traceback'), 'only the last lines');
  assert.match(message, /Can you fix it\?$/);
  assert.match(askMessage({ label: 'R', title: 'Squares', code: 'x', errorText: 'Error: boom', location: null }),
    /^My R code "Squares" fails with this error:\n\nError: boom\n\nCan you fix it\?$/);
});

test('every text and background pair of the panel and editor meets WCAG AA, light and dark', () => {
  const failing = contrastPairs()
    .map(([theme, fg, bg, min]) => [theme, fg, bg, min, contrastRatio(PALETTE[theme][fg], PALETTE[theme][bg])])
    .filter(([, , , min, ratio]) => ratio < min)
    .map(([theme, fg, bg, min, ratio]) => `${theme}: ${fg} on ${bg} is ${ratio.toFixed(2)} < ${min}`);
  assert.deepEqual(failing, []);
  assert.deepEqual(Object.keys(PALETTE.light).sort(), Object.keys(PALETTE.dark).sort());
});
