// How a message's HTML, CSS and JavaScript blocks make one previewed document (CodePen's way).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { composePreview } from '../../extension/content/preview-runner.js';

test('CSS goes at the end of the head, JavaScript at the end of the body', () => {
  const html = '<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>';
  assert.equal(composePreview({ html, css: ['p { color: red }'], js: 'console.log(1)' }),
    '<!DOCTYPE html><html><head><title>t</title><style>\np { color: red }\n</style>\n</head><body><p>x</p><script>\nconsole.log(1)\n</script></body></html>');
});

test('a fragment gets its styles after the doctype, before any content', () => {
  assert.equal(composePreview({ html: '<!doctype html>\n<p>x</p>', css: ['a {}', 'b {}'] }),
    '<!doctype html>\n<style>\na {}\n</style>\n<style>\nb {}\n</style>\n<p>x</p>');
  assert.equal(composePreview({ html: '<p>x</p>', css: ['a {}'] }), '<style>\na {}\n</style>\n<p>x</p>');
});

test('a script cannot end its own element early; nothing to add leaves the document as it is', () => {
  assert.equal(composePreview({ html: '<p>x</p>', js: 'let s = "</script><b>";' }), '\n<p>x</p>\n<script>\nlet s = "<\\/script><b>";\n</script>');
  assert.equal(composePreview({ html: '<p>x</p>' }), '<p>x</p>');
});
