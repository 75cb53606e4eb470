// A run's text is made well-formed when the service worker stores it, by the companion API's rule
// (lone surrogates -> U+FFFD, docs/api.md "Bad input"), so the local copy, the fingerprint and
// the server's copy agree (extension/background/well-formed.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { wellFormed } from '../../extension/background/well-formed.js';
import { artifactUuid } from '../../extension/background/artifact-id.js';

test('lone surrogates become U+FFFD; a valid pair is kept', () => {
  assert.equal(wellFormed('\uD800'), '\uFFFD');
  assert.equal(wellFormed('a\uDC00b'), 'a\uFFFDb');
  assert.equal(wellFormed('\uD83D\uDE00'), '😀');
  assert.equal(wellFormed('\uDE00\uD83D'), '\uFFFD\uFFFD'); // a pair in the wrong order is two lone halves
  assert.equal(wellFormed('\uD83D\uD83D\uDE00'), '\uFFFD😀');
});

test('every string of a record is cleaned, keys too; other values are kept as they are', () => {
  const record = {
    code: "console.log('\uD800')",
    output: [{ type: 'log', content: '\uD800\n', timestamp: '2024-01-01T00:00:00Z' }],
    page: { url: null, title: 't\uDBFF' },
    execution_time_ms: 3,
    truncated: false,
    '\uDC01key': ['\uD800', 1, null, true],
  };
  const cleaned = wellFormed(record);
  assert.equal(cleaned.code, "console.log('\uFFFD')");
  assert.deepEqual(cleaned.output, [{ type: 'log', content: '\uFFFD\n', timestamp: '2024-01-01T00:00:00Z' }]);
  assert.deepEqual(cleaned.page, { url: null, title: 't\uFFFD' });
  assert.deepEqual(cleaned['\uFFFDkey'], ['\uFFFD', 1, null, true]);
  assert.equal(cleaned.execution_time_ms, 3);
  assert.equal(cleaned.truncated, false);
  assert.equal(record.output[0].content, '\uD800\n'); // a copy: the sent record is left alone
});

test('the rule is what UTF-8 encoding does (TextEncoder, Python\'s errors="replace" on code points)', () => {
  const units = [0x41, 0xe9, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00, 0xfffd, 0x10];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < 2000; i++) {
    const text = String.fromCharCode(...Array.from({ length: 1 + Math.floor(random() * 12) }, () => units[Math.floor(random() * units.length)]));
    const cleaned = wellFormed(text);
    assert.equal(cleaned, new TextDecoder().decode(new TextEncoder().encode(text)));
    assert.equal(cleaned.length, text.length); // one U+FFFD per lone unit, nothing else moves
  }
});

test('the fingerprint of code with a lone surrogate is the server\'s (companion_api/fingerprint.py)', async () => {
  // uuid5 of the code's UTF-8 with U+FFFD for the surrogate, as computed by the API.
  const server = '27a6c255-7b84-5469-8a86-a7e0d307b4e0';
  assert.equal(await artifactUuid("console.log('\uD800')"), server);
  assert.equal(await artifactUuid(wellFormed("console.log('\uD800')")), server);
});
