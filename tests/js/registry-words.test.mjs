// What the panel and options say a kernel keeps, and which languages a setting names, come from the registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGE_IDS, LANGUAGES, isKernelLanguage, keptBy, labelOf, labelsWhere } from '../../extension/shared/languages.js';

test('every kernel language says what it keeps; SQL keeps tables, Python variables', () => {
  for (const id of LANGUAGE_IDS.filter(isKernelLanguage)) assert.ok(['variables', 'tables'].includes(LANGUAGES[id].keeps), id);
  assert.equal(keptBy('python'), 'variables');
  assert.equal(keptBy('sql'), 'tables');
  assert.equal(keptBy('postgresql'), 'tables');
});

test('labelsWhere lists the labels of the entries with the field, in words', () => {
  const preload = LANGUAGE_IDS.filter((id) => LANGUAGES[id].preload).map(labelOf);
  assert.ok(preload.length > 1 && preload.includes('Python'));
  const words = labelsWhere('preload');
  for (const label of preload) assert.ok(words.includes(label), label);
  assert.match(words, / and [^,]+$/);
  assert.ok(!labelsWhere('kernel').includes('JavaScript'));
});
