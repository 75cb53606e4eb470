// Adapter isolation (extension/content/adapter-guard.js): an adapter that throws is switched off
// with one warning naming it; the others are not touched. (The same in a page, with the scanner
// and real selectors: tests/e2e/test_detection.py.)
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { guarded, isDisabled, selectorList } from '../../extension/content/adapter-guard.js';

function capturingWarnings(fn) {
  const warnings = [];
  const original = console.warn;
  console.warn = (...parts) => warnings.push(parts.map(String).join(' '));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return warnings;
}

test('a throwing adapter is switched off with one warning; the others go on', () => {
  const broken = { name: 'broken-site' };
  const healthy = { name: 'healthy-site' };
  const results = [];
  const warnings = capturingWarnings(() => {
    for (let scan = 0; scan < 3; scan++) {
      results.push(guarded(broken, () => { throw new Error('selector changed'); }, 'skipped'));
      results.push(guarded(healthy, () => `found ${scan}`, 'skipped'));
    }
  });
  assert.deepEqual(results, ['skipped', 'found 0', 'skipped', 'found 1', 'skipped', 'found 2']);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /"broken-site"/);
  assert.match(warnings[0], /selector changed/);
  assert.ok(isDisabled(broken) && !isDisabled(healthy));
});

test('once off, an adapter\'s code is not called again', () => {
  const flaky = { name: 'flaky-site' };
  let calls = 0;
  capturingWarnings(() => {
    guarded(flaky, () => { calls++; throw new TypeError('boom'); }, null);
    guarded(flaky, () => { calls++; return 'fine now'; }, null);
  });
  assert.equal(calls, 1);
});

test('selector lists split in order of preference', () => {
  assert.deepEqual(selectorList(':scope > code, code'), [':scope > code', 'code']);
  assert.deepEqual(selectorList(null), []);
});
