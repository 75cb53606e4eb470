// R in the language registry: the labels and file names that mean R, inference only on
// unmistakable R, and R named nowhere but the registry (its runner modules name no language).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import {
  LANGUAGES, blockLanguage, inferLanguage, isKernelLanguage, languageNamed, languageOfFile,
} from '../../extension/shared/languages.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('blocks labelled r, R, rscript or splus, and .r/.R files, are R', () => {
  for (const label of ['r', 'R', 'language-r', 'lang-R', 'rscript', 'Rscript', 'splus', 'S-PLUS'.toLowerCase().replace('-', '')]) {
    assert.equal(languageNamed(label), 'r', label);
  }
  assert.equal(languageOfFile('analysis.R'), 'r');
  assert.equal(languageOfFile('model.r'), 'r');
  assert.equal(blockLanguage('r', 'x <- 1'), 'r');
  assert.ok(isKernelLanguage('r'));
  assert.equal(LANGUAGES.r.runner, 'offscreen/r-kernel.js');
});

test('inference takes R only when the code is unmistakably R', () => {
  const r = [
    'x <- c(1, 2, 3)\nprint(mean(x))',
    'library(ggplot2)\np <- ggplot(mpg, aes(displ, hwy)) + geom_point()',
    'df <- data.frame(a = 1:3, b = letters[1:3])\nsummary(df)',
    'fit <- lm(mpg ~ wt, data = mtcars)\nsummary(fit)',
    'scores <- c(82, 91)\nfor (s in scores) cat(s, "\\n")',
    'square <- function(n) n^2\nsapply(1:5, square)',
  ];
  for (const code of r) assert.equal(inferLanguage(code), 'r', code);
  const notR = [
    'main = do\n  name <- getLine\n  putStrLn name', // Haskell
    'for {\n  x <- List(1, 2)\n} yield x', // Scala
    'x = c(1, 2)', // could be anything
    'print(1)', // Python (or R): too weak for R
    'import numpy as np\nx <- np.array([1])',
    'const f = (a) => a <- 1;',
    'if (x <- 1) { y }', // a comparison with a negative number in C-like code
    'SELECT a FROM t WHERE b <- 1;',
  ];
  for (const code of notR) assert.notEqual(inferLanguage(code), 'r', code);
});

test('no language is named outside the registry and its runner modules, R included', () => {
  const hits = execFileSync('grep', ['-rlE', "'(python|javascript|typescript|sql|postgresql|r)'", 'extension',
    '--exclude-dir=build', '--exclude-dir=vendor'], { cwd: ROOT }).toString().trim().split('\n').sort();
  const runners = [...new Set(Object.values(LANGUAGES).map((entry) => `extension/${entry.runner}`))];
  const allowed = new Set(['extension/shared/languages.js', ...runners, 'extension/sandbox/prepare-code.js']);
  assert.deepEqual(hits.filter((file) => !allowed.has(file)), []);
});
