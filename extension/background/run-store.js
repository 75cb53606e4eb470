// Durable local stores (IndexedDB): the sync queue, this device's run history, and runs the
// server refused (kept, never silently dropped). Survives service-worker and browser restarts.
import { openDB } from 'idb';

const DB_NAME = 'chatrun-runs';
const HISTORY_KEPT = 2000;

let dbPromise = null;
function db() {
  dbPromise ||= openDB(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('queue', { keyPath: 'execution_id' });
      const history = database.createObjectStore('history', { keyPath: 'execution_id' });
      history.createIndex('by_artifact_site', ['artifact_uuid', 'site']);
      history.createIndex('by_tab_page', 'page_key');
      history.createIndex('by_time', 'timestamp');
      database.createObjectStore('rejected', { keyPath: 'execution_id' });
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

/** Up to `limit` queued runs that belong to `owner` (or were made signed out), oldest first. */
export async function queuedBatch(limit, owner) {
  const batch = [];
  let cursor = await (await db()).transaction('queue').store.openCursor();
  for (; cursor && batch.length < limit; cursor = await cursor.continue()) {
    const { owner: madeBy = null } = cursor.value;
    if (madeBy === null || madeBy === owner) batch.push(cursor.value);
  }
  return batch.sort((a, b) => a.queued_at - b.queued_at);
}

/** Queued runs this owner will sync (its own and those made signed out), and all others. */
export async function queueCounts(owner) {
  let mine = 0;
  let others = 0;
  let cursor = await (await db()).transaction('queue').store.openCursor();
  for (; cursor; cursor = await cursor.continue()) {
    const { owner: madeBy = null } = cursor.value;
    if (madeBy === null || madeBy === owner) mine += 1;
    else others += 1;
  }
  return { mine, others };
}

export async function removeQueued(ids) {
  const tx = (await db()).transaction('queue', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

export async function moveToRejected(items) {
  const tx = (await db()).transaction(['queue', 'rejected'], 'readwrite');
  for (const { record, reason } of items) {
    tx.objectStore('queue').delete(record.execution_id);
    tx.objectStore('rejected').put({ ...record, reason });
  }
  await tx.done;
}

export async function rejectedCount() {
  return (await db()).count('rejected');
}

/** This device's runs of one artifact on one site, newest first. */
export async function localRuns(artifactUuid, site) {
  const rows = await (await db()).getAllFromIndex('history', 'by_artifact_site', [artifactUuid, site]);
  return rows.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1));
}

/** Runs made on one page (for the toolbar popup), newest first. */
export async function pageRuns(pageKey, limit = 10) {
  const rows = await (await db()).getAllFromIndex('history', 'by_tab_page', pageKey);
  return rows.sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1)).slice(0, limit);
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
