// The language registry (extension/shared/languages.js) and the run protocol
// (extension/shared/protocol.js): one table and one envelope for every context.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  LANGUAGES, LANGUAGE_IDS, PREVIEW_LANGUAGE, blockLanguage, inferLanguage, isKernelLanguage, isPreviewLanguage, isRunnable,
  labelOf, languageNamed, languageOfFile, previewRole,
} from '../../extension/shared/languages.js';
import {
  CMD, EVENT, STATE, STATUS, WorkerClient, checkedEvent, checkedResult, kindOf, request, serve,
} from '../../extension/shared/protocol.js';
import { DEFAULT_RUNNER_SETTINGS, withPageDefaults } from '../../extension/shared/settings.js';

test('every registry entry declares what the rest of the extension reads', () => {
  for (const id of LANGUAGE_IDS) {
    const entry = LANGUAGES[id];
    for (const field of ['label', 'aliases', 'extensions', 'runner', 'limitMs', 'kernel', 'preload', 'editor', 'infer']) {
      assert.ok(field in entry, `${id}.${field}`);
    }
    // A runner of the offscreen document, or the panel's preview (HTML, CSS).
    assert.match(entry.runner, isPreviewLanguage(id) ? /^content\/preview-runner\.js$/ : /^offscreen\/[\w-]+\.js$/);
    assert.ok(Object.isFrozen(entry) && Object.isFrozen(entry.aliases));
    assert.equal(DEFAULT_RUNNER_SETTINGS.timeoutMs[id], isPreviewLanguage(id) ? undefined : entry.limitMs);
  }
});

test('names, labels and classes map to ids; other languages are "not runnable"; prose is nothing', () => {
  assert.equal(languageNamed('language-py'), 'python');
  assert.equal(languageNamed('Python'), 'python');
  assert.equal(languageNamed(' TypeScript '), 'typescript');
  assert.equal(languageNamed('lang-js'), 'javascript');
  assert.equal(languageNamed('bash'), null);
  assert.equal(languageNamed('Code snippet'), null);
  assert.equal(languageNamed('hello'), undefined);
  assert.equal(languageNamed(''), undefined);
  assert.equal(languageNamed(null), undefined);
});

test('HTML, SVG and CSS are previewed; an xml block is HTML only when its root is <svg>', () => {
  assert.equal(PREVIEW_LANGUAGE, 'html');
  for (const name of ['html', 'HTML', 'language-svg', 'htm', 'xhtml']) assert.equal(blockLanguage(languageNamed(name), '<p>x</p>'), 'html', name);
  assert.equal(blockLanguage(languageNamed('css'), 'p { color: red }'), 'css');
  assert.equal(blockLanguage(languageNamed('xml'), '<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'html');
  assert.equal(blockLanguage(languageNamed('xml'), '<?xml version="1.0"?>\n<note><to>Tove</to></note>'), null);
  assert.equal(isRunnable(languageNamed('xml')), false);
  assert.equal(inferLanguage('<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>'), 'html');
  assert.equal(inferLanguage('p { color: red; }\nbody { margin: 0; }'), null); // CSS alone is never guessed
  assert.equal(inferLanguage('const el = document.createElement("div");\nel.innerHTML = "<html>";\nconsole.log(el);'), 'javascript');
  assert.deepEqual([previewRole('html'), previewRole('css'), previewRole('javascript'), previewRole('python')], ['document', 'style', 'script', null]);
  assert.deepEqual(LANGUAGE_IDS.filter(isPreviewLanguage), ['html', 'css']);
  assert.equal(languageOfFile('logo.svg'), 'html');
  assert.equal(languageOfFile('site.css'), 'css');
});

test('file names map through their extension', () => {
  assert.equal(languageOfFile('main.py'), 'python');
  assert.equal(languageOfFile('*.ts'), 'typescript');
  assert.equal(languageOfFile('app.MJS'), 'javascript');
  assert.equal(languageOfFile('notes.txt'), undefined);
  assert.equal(languageOfFile('Makefile'), undefined);
});

test('inference guesses only on strong evidence, TypeScript building on JavaScript', () => {
  assert.equal(inferLanguage('def f(x):\n    return x * 2\nprint(f(3))'), 'python');
  assert.equal(inferLanguage("const x = [1, 2];\nconsole.log(x.map((n) => n * 2));"), 'javascript');
  assert.equal(inferLanguage('interface P { x: number }\nconst p: P = { x: 1 };\nconsole.log(p);'), 'typescript');
  assert.equal(inferLanguage('Total: 42 items'), null);
  assert.equal(inferLanguage('x'), null);
});

test('kernel languages and labels come from the table', () => {
  assert.deepEqual(LANGUAGE_IDS.filter(isKernelLanguage), LANGUAGE_IDS.filter((id) => LANGUAGES[id].kernel));
  assert.equal(isRunnable('cobol'), false);
  assert.equal(isRunnable('toString'), false); // not an inherited property
  assert.equal(labelOf('python'), 'Python');
});

test('the old preload setting name still counts', () => {
  assert.equal(withPageDefaults({ pythonPreload: false }).preloadRuntimes, false);
  assert.equal(withPageDefaults({ pythonPreload: false, preloadRuntimes: true }).preloadRuntimes, true);
  assert.equal('pythonPreload' in withPageDefaults({ pythonPreload: true }), false);
});

test('events and results from a runner are checked before they go on', () => {
  const output = { type: EVENT.output, chunks: [{ stream: 'stdout', text: 'x' }] };
  assert.equal(checkedEvent(output), output); // unchanged, not re-wrapped
  assert.equal(checkedEvent({ type: EVENT.state, state: STATE.running }).state, 'running');
  assert.equal(checkedEvent({ type: EVENT.state, state: '<img src=x>' }), null);
  assert.equal(checkedEvent({ type: 'done', status: 'success' }), null);
  assert.equal(checkedEvent({ type: EVENT.output, chunks: 'x' }), null);
  assert.equal(checkedEvent(null), null);
  assert.deepEqual(checkedResult({ status: 'pwned', durationMs: -5, extra: 1 }), { status: STATUS.error, durationMs: 0, truncated: false });
  assert.deepEqual(checkedResult({ status: 'timeout', durationMs: 12, truncated: 1, message: 'limit' }),
    { status: 'timeout', durationMs: 12, truncated: true, message: 'limit' });
  // The last output may ride in the reply (a list of chunks only); hop times only by known hop.
  const last = [{ stream: 'stdout', text: '2\n' }];
  assert.deepEqual(checkedResult({ status: 'success', output: last, timing: { worker: 5, evil: 1, dom: 'x' } }),
    { status: 'success', durationMs: 0, truncated: false, timing: { worker: 5 }, output: last });
  assert.equal('output' in checkedResult({ status: 'success', output: '<b>' }), false);
  assert.equal('output' in checkedResult({ status: 'success', output: [] }), false);
});

test('one envelope: request, event, reply, failure through WorkerClient and serve', async () => {
  const { port1, port2 } = new MessageChannel();
  serve(port2, {
    [CMD.run]: async ({ code }, { emit }) => {
      emit({ type: EVENT.output, chunks: [{ stream: 'stdout', text: code }] });
      return { status: STATUS.success };
    },
    [CMD.reset]: () => {
      throw Object.assign(new Error('nothing to reset'), { code: 'empty' });
    },
  });
  const client = new WorkerClient(port1);
  const events = [];
  const call = client.call(CMD.run, { code: 'hi' }, (e) => events.push(e));
  assert.equal(typeof call.id, 'number');
  assert.deepEqual(await call, { status: 'success' });
  assert.deepEqual(events, [{ type: 'output', chunks: [{ stream: 'stdout', text: 'hi' }] }]);
  await assert.rejects(client.call(CMD.reset), (e) => e.message === 'nothing to reset' && e.code === 'empty');
  await assert.rejects(client.call('nope'), (e) => e.code === 'unknown-command');
  const pending = client.call(CMD.unload);
  client.close('gone');
  await assert.rejects(pending, /gone/);
  port2.close();
  assert.equal(kindOf(request(1, CMD.run)), 'request');
  assert.equal(kindOf({ id: 1, event: { type: 'output' } }), 'event');
  assert.equal(kindOf({ id: 1, ok: true }), 'reply');
  assert.equal(kindOf('x'), null);
});
