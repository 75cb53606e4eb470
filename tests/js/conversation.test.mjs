// The offscreen document trusts only the browser's word about a port's site; a run request keeps
// only the code (extension/offscreen/conversation.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { conversationOf, runRequestFrom } from '../../extension/offscreen/conversation.js';

const tab = { id: 7 };
const sender = (url, extra = {}) => ({ id: 'ext', url, origin: new URL(url).origin, tab, ...extra });
const runnable = (language) => ['python', 'javascript'].includes(language);

test('the key is the sender origin and the page path, without query or hash', () => {
  const c = conversationOf(sender('https://chat.example/c/123?x=1#y'));
  assert.deepEqual(c, { key: 'https://chat.example/c/123', site: 'chat.example', origin: 'https://chat.example', tabId: 7 });
});

test('a page may name a path of its own origin (single-page apps), never another origin', () => {
  const s = sender('https://chat.example/c/first');
  assert.equal(conversationOf(s, '/c/second').key, 'https://chat.example/c/second');
  for (const path of ['//evil.example/c/1', 'https://evil.example/c/1', 'c/1', '/c/1?q', '/c/1#h', '/a\\b', '/a b', 42, null,
    `/${'x'.repeat(3000)}`]) {
    assert.equal(conversationOf(s, path).key, 'https://chat.example/c/first', String(path));
  }
});

test('senders that are not web pages are refused', () => {
  assert.equal(conversationOf(null), null);
  assert.equal(conversationOf({ id: 'ext', url: 'chrome-extension://abc/options.html', tab }), null);
  assert.equal(conversationOf({ id: 'ext', url: 'https://chat.example/' }), null); // no tab: not a content script
  assert.equal(conversationOf(sender('file:///tmp/x.html')), null);
  assert.equal(conversationOf({ ...sender('https://chat.example/'), origin: 'https://other.example' }), null);
  assert.equal(conversationOf({ id: 'ext', url: 'not a url', tab }), null);
});

test('two sites, or two conversations of one site, never share a key', () => {
  const keys = new Set([
    conversationOf(sender('https://a.example/c/1')).key,
    conversationOf(sender('https://b.example/c/1')).key,
    conversationOf(sender('http://a.example/c/1')).key,
    conversationOf(sender('https://a.example:8443/c/1')).key,
    conversationOf(sender('https://a.example/c/2')).key,
  ]);
  assert.equal(keys.size, 5);
});

test('a run request keeps only language, code and line offset', () => {
  const { request } = runRequestFrom({
    type: 'run', language: 'python', code: 'print(1)', lineOffset: 3,
    namespace: 'https://other.example/c/1', allowNetwork: true, packageIndex: 'https://evil.example/simple',
    timeoutMs: 999999999, idleMinutes: 0,
  }, runnable);
  assert.deepEqual(request, { language: 'python', code: 'print(1)', lineOffset: 3 });
});

test('bad run requests get a clear error', () => {
  assert.match(runRequestFrom({ language: 'cobol', code: '' }, runnable).error, /No runner for cobol/);
  assert.match(runRequestFrom({ language: 'python' }, runnable).error, /no code/);
  assert.match(runRequestFrom({ language: 'python', code: 'x'.repeat(1_000_001) }, runnable).error, /too long/);
  assert.equal(runRequestFrom({ language: 'python', code: '', lineOffset: -5 }, runnable).request.lineOffset, 0);
  assert.equal(runRequestFrom({ language: 'python', code: '', lineOffset: 1.5 }, runnable).request.lineOffset, 0);
  assert.equal(runRequestFrom(undefined, runnable).error, 'No runner for this language.');
});
