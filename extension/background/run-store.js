// Durable local stores (IndexedDB): the sync queue, this device's run history, and the
// quarantine: runs the server refused or keeps failing on, kept (never silently dropped) until
// the user retries or discards them. Survives service-worker and browser restarts.
import { openDB } from 'idb';
import { QUARANTINE_CHANGED } from '../shared/messages.js';

const DB_NAME = 'chatrun-runs';
const HISTORY_KEPT = 2000;
// The popup and the options page watch this key (storage.local, trusted contexts only) to
// redraw their list of quarantined runs when it changes.
const announce = () => chrome.storage.local.set({ [QUARANTINE_CHANGED]: Date.now() }).catch(() => {});

let dbPromise = null;
function db() {
  dbPromise ||= openDB(DB_NAME, 2, {
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        database.createObjectStore('queue', { keyPath: 'execution_id' });
        const history = database.createObjectStore('history', { keyPath: 'execution_id' });
        history.createIndex('by_artifact_site', ['artifact_uuid', 'site']);
        history.createIndex('by_tab_page', 'page_key');
        history.createIndex('by_time', 'timestamp');
      }
      if (oldVersion < 2) {
        // Version 2: the queue in the order runs were made; `rejected` becomes the quarantine.
        tx.objectStore('queue').createIndex('by_queued', 'queued_at');
        const quarantine = database.createObjectStore('quarantine', { keyPath: 'execution_id' });
        if (database.objectStoreNames.contains('rejected')) {
          for (const { reason, ...record } of await tx.objectStore('rejected').getAll()) {
            quarantine.put(quarantined(record, { code: 'rejected', reason: String(reason || 'refused by the server') }));
          }
          database.deleteObjectStore('rejected');
        }
      }
    },
  });
  return dbPromise;
}

/** Store a finished run: queued for sync and kept in local history, in one transaction. */
export async function saveRun(record, local) {
  const database = await db();
  const tx = database.transaction(['queue', 'history'], 'readwrite');
  await Promise.all([
    tx.objectStore('queue').put({ ...record, queued_at: Date.now() }),
    tx.objectStore('history').put({ ...record, ...local }),
    tx.done,
  ]);
  trimHistory().catch(() => {});
}

const ownedBy = (record, owner) => (record.owner ?? null) === null || record.owner === owner;

/**
 * Up to `limit` queued runs of `owner` (or made signed out), oldest first, that are due: a run
 * that failed on its own waits until its `retry_at` unless `now` is Infinity. `waitingUntil`
 * is the earliest retry of those skipped (null when none).
 */
export async function queuedBatch(limit, owner, now = Date.now()) {
  const batch = [];
  let waitingUntil = null;
  let cursor = await (await db()).transaction('queue').store.index('by_queued').openCursor();
  for (; cursor && batch.length < limit; cursor = await cursor.continue()) {
    const record = cursor.value;
    if (!ownedBy(record, owner)) continue;
    if (record.retry_at > now) waitingUntil = Math.min(waitingUntil ?? Infinity, record.retry_at);
    else batch.push(record);
  }
  return { batch, waitingUntil };
}

/** Queued runs this owner will sync (its own and those made signed out), and all others. */
export async function queueCounts(owner) {
  let mine = 0;
  let others = 0;
  let cursor = await (await db()).transaction('queue').store.openCursor();
  for (; cursor; cursor = await cursor.continue()) {
    if (ownedBy(cursor.value, owner)) mine += 1;
    else others += 1;
  }
  return { mine, others };
}

/** Every queued run is due now: an explicit Sync now waits for no run's next try. */
export async function makeDue() {
  const tx = (await db()).transaction('queue', 'readwrite');
  for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
    if (cursor.value.retry_at) cursor.update({ ...cursor.value, retry_at: 0 });
  }
  await tx.done;
}

export async function removeQueued(ids) {
  const tx = (await db()).transaction('queue', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

/** Update queued runs in place (their sync bookkeeping), if they are still queued. */
export async function updateQueued(records) {
  const tx = (await db()).transaction('queue', 'readwrite');
  for (const record of records) {
    if (await tx.store.getKey(record.execution_id)) tx.store.put(record);
  }
  await tx.done;
}

function quarantined(record, problem) {
  return { ...record, problem: { code: problem.code, reason: problem.reason, fields: problem.fields || null }, quarantined_at: Date.now() };
}

/** Take runs out of the queue into the quarantine: [{record, problem: {code, reason, fields}}]. */
export async function quarantine(items) {
  if (!items.length) return;
  const tx = (await db()).transaction(['queue', 'quarantine'], 'readwrite');
  for (const { record, problem } of items) {
    tx.objectStore('queue').delete(record.execution_id);
    tx.objectStore('quarantine').put(quarantined(record, problem));
  }
  await tx.done;
  announce();
}

export async function quarantineCount() {
  return (await db()).count('quarantine');
}

/** The quarantined runs, newest first, as the popup and options page show them (no output). */
export async function quarantinedRuns() {
  const rows = await (await db()).getAll('quarantine');
  return rows
    .sort((a, b) => b.quarantined_at - a.quarantined_at)
    .map((run) => ({
      execution_id: run.execution_id,
      language: run.language,
      status: run.status,
      timestamp: run.timestamp,
      site: run.page?.site ?? null,
      title: run.title,
      first_line: String(run.code || '').split('\n').find((line) => line.trim()) || '',
      problem: run.problem,
    }));
}

/** Put a quarantined run back at the end of the queue, with a fresh count of tries. */
export async function requeue(executionId) {
  const tx = (await db()).transaction(['queue', 'quarantine'], 'readwrite');
  const run = await tx.objectStore('quarantine').get(executionId);
  if (run) {
    const { problem, quarantined_at, sync_tries, retry_at, first_failed_at, last_error, ...record } = run;
    tx.objectStore('queue').put({ ...record, queued_at: Date.now() });
    tx.objectStore('quarantine').delete(executionId);
  }
  await tx.done;
  if (run) announce();
  return Boolean(run);
}

/** Forget a quarantined run for good: it is never synced (local history keeps it). */
export async function discard(executionId) {
  const database = await db();
  const found = Boolean(await database.getKey('quarantine', executionId));
  await database.delete('quarantine', executionId);
  if (found) announce();
  return found;
}

/** This device's runs of one artifact on one site, newest first. */
export async function localRuns(artifactUuid, site) {
  const rows = await (await db()).getAllFromIndex('history', 'by_artifact_site', [artifactUuid, site]);
  return rows.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1));
}

/** Runs made on one page (for the toolbar popup), newest first; `synced`: neither waiting in
 *  the queue nor quarantined, so the dashboard has it. */
export async function pageRuns(pageKey, limit = 10) {
  const database = await db();
  const rows = await database.getAllFromIndex('history', 'by_tab_page', pageKey);
  const newest = rows.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1)).slice(0, limit);
  return Promise.all(newest.map(async (run) => ({
    ...run,
    synced: (await database.getKey('queue', run.execution_id)) === undefined
      && (await database.getKey('quarantine', run.execution_id)) === undefined,
  })));
}

async function trimHistory() {
  const database = await db();
  const count = await database.count('history');
  if (count <= HISTORY_KEPT) return;
  const tx = database.transaction('history', 'readwrite');
  let cursor = await tx.store.index('by_time').openCursor();
  for (let excess = count - HISTORY_KEPT; cursor && excess > 0; excess--) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
}
