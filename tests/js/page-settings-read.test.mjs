// The page settings read that the content script's document_start part begins
// (extension/shared/page-settings-read.js): the content script proper takes it once, a change
// stored before then is not lost, and every later read asks storage again. (In a page, with
// real storage: tests/e2e/test_panel_ui.py, a site turned off never shows a host.)
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PAGE_SETTINGS_KEY, startEarlyPageSettingsRead, takeReadPageSettings, takeStoredPageSettings } from '../../extension/shared/page-settings-read.js';

// chrome.storage's shape: sync.get answers with what is stored now, onChanged tells listeners.
function fakeStorage(stored) {
  const listeners = new Set();
  const storage = {
    gets: 0,
    sync: { get: async (key) => { storage.gets++; return key in stored ? { [key]: structuredClone(stored[key]) } : {}; } },
    onChanged: { addListener: (fn) => listeners.add(fn), removeListener: (fn) => listeners.delete(fn) },
    listeners,
    change(value) {
      stored[PAGE_SETTINGS_KEY] = value;
      for (const fn of [...listeners]) fn({ [PAGE_SETTINGS_KEY]: { newValue: value } }, 'sync');
    },
  };
  return storage;
}

test('the early read is taken once; later reads ask storage again', async () => {
  const storage = fakeStorage({ [PAGE_SETTINGS_KEY]: { disabledSites: ['a.example'] } });
  startEarlyPageSettingsRead(storage);
  assert.equal(storage.gets, 1);
  assert.deepEqual(await takeStoredPageSettings(storage), { disabledSites: ['a.example'] });
  assert.equal(storage.gets, 1, 'the early read served it');
  assert.equal(storage.listeners.size, 0, 'its change listener is gone with it');
  storage.change({ disabledSites: [] });
  assert.deepEqual(await takeStoredPageSettings(storage), { disabledSites: [] });
  assert.equal(storage.gets, 2);
});

test('a change stored before the early read is taken is what the taker gets', async () => {
  const storage = fakeStorage({});
  startEarlyPageSettingsRead(storage);
  storage.change({ disabledSites: ['b.example'] }); // e.g. the popup switched the site off during load
  assert.deepEqual(await takeStoredPageSettings(storage), { disabledSites: ['b.example'] });
});

test('nothing stored reads as undefined; a failed early read fails its taker only', async () => {
  const empty = fakeStorage({});
  startEarlyPageSettingsRead(empty);
  assert.equal(await takeStoredPageSettings(empty), undefined);

  const broken = fakeStorage({});
  broken.sync.get = () => Promise.reject(new Error('Extension context invalidated.'));
  startEarlyPageSettingsRead(broken);
  await assert.rejects(takeStoredPageSettings(broken), /context invalidated/);
});

test('the settings are there synchronously once the early read is done, and only then', async () => {
  const storage = fakeStorage({ [PAGE_SETTINGS_KEY]: { disabledSites: ['c.example'] } });
  startEarlyPageSettingsRead(storage);
  assert.equal(takeReadPageSettings(storage), null, 'not read yet: nothing, and nothing taken');
  await new Promise((resolve) => setTimeout(resolve));
  storage.change({ disabledSites: [] }); // a change after the read: read again before it counts
  assert.equal(takeReadPageSettings(storage), null);
  await new Promise((resolve) => setTimeout(resolve));
  assert.deepEqual(takeReadPageSettings(storage), { stored: { disabledSites: [] } });
  assert.equal(takeReadPageSettings(storage), null, 'taken once');
  assert.equal(storage.listeners.size, 0);
});

test('nothing saved yet is a read with nothing in it, not a missing read', async () => {
  const storage = fakeStorage({});
  startEarlyPageSettingsRead(storage);
  await new Promise((resolve) => setTimeout(resolve));
  assert.deepEqual(takeReadPageSettings(storage), { stored: undefined });
});
