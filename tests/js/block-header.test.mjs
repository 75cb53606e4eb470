// What a block's header says about its language (extension/content/block-header.js): labels,
// file names and file-type patterns through the registry, accessible labels of icons.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { languageOfHint, languageOfLabel } from '../../extension/content/block-header.js';

test('labels and file names map through the registry', () => {
  assert.equal(languageOfHint('Python'), 'python');
  assert.equal(languageOfHint('main.py'), 'python');
  assert.equal(languageOfHint('src/lib/add.ts'), 'typescript');
  assert.equal(languageOfHint('*.mjs'), 'javascript');
  assert.equal(languageOfHint('.py'), 'python');
  assert.equal(languageOfHint('py'), 'python');
});

test('a header naming another language says "not runnable", not "nothing"', () => {
  assert.equal(languageOfHint('text'), null);
  assert.equal(languageOfHint('main.rs'), null);
  assert.equal(languageOfHint('index.yaml'), null);
  assert.equal(languageOfHint('index.html'), 'html'); // previewed (issue #11)
  assert.equal(languageOfHint('Dockerfile'), null);
});

test('words that are not a language say nothing', () => {
  for (const words of ['Copy', 'Copy code', 'Download', 'Wrap', 'notes.xyz', '', null, 'a'.repeat(40)]) {
    assert.equal(languageOfHint(words), undefined, String(words));
  }
});

test('an accessible label may wrap the language in a few words', () => {
  assert.equal(languageOfLabel('Python'), 'python');
  assert.equal(languageOfLabel('TypeScript code'), 'typescript');
  assert.equal(languageOfLabel('Language: JavaScript'), 'javascript');
  assert.equal(languageOfLabel('Run Python code'), 'python');
  assert.equal(languageOfLabel('Copy code'), undefined);
  assert.equal(languageOfLabel('Copy to clipboard'), undefined);
  // Two languages, or a sentence: no answer rather than a guess.
  assert.equal(languageOfLabel('Python or JavaScript'), undefined);
  assert.equal(languageOfLabel('Open this Python snippet in a new tab'), undefined);
});
