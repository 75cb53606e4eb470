// Sends queued runs to the companion API in batches. The queue is only emptied by the server's
// answer, so nothing is lost: outages back off exponentially with jitter, 429 waits for
// Retry-After, 401 (revoked device) stops syncing but keeps the queue. Retries are safe: the
// server deduplicates by execution_id.
import { getAccount, updateAccount } from './account.js';
import { apiRequest } from './api-client.js';
import { moveToRejected, queuedBatch, removeQueued } from './run-store.js';

export const SYNC_ALARM = 'chatrun-sync';
const BATCH_SIZE = 100;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const ALARM_MIN_MS = 30 * 1000; // Chrome's floor for alarms; they wake a stopped worker

let running = null;
let failures = 0;
let timer = null;

/** Sync soon (coalesces calls); the alarm is the fallback if this worker is stopped first. */
export function scheduleSync(delayMs = 0) {
  clearTimeout(timer);
  timer = setTimeout(() => syncNow(), delayMs);
  if (delayMs > 0) chrome.alarms.create(SYNC_ALARM, { when: Date.now() + Math.max(delayMs, ALARM_MIN_MS) });
}

export function syncNow() {
  running ||= drain().finally(() => {
    running = null;
  });
  return running;
}

/** Whose runs these are: a run made under one account never syncs into another. */
export function ownerOf(account) {
  return account.token ? `${account.apiUrl}|${account.email}` : null;
}

function backoff() {
  failures += 1;
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** failures);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2)); // "equal jitter"
}

async function drain() {
  for (;;) {
    const account = await getAccount();
    if (!account.token || !account.syncEnabled || account.revoked) return;
    if (account.rateLimitedUntil && Date.now() < account.rateLimitedUntil) {
      scheduleSync(account.rateLimitedUntil - Date.now());
      return;
    }
    const batch = await queuedBatch(BATCH_SIZE, ownerOf(account));
    if (!batch.length) return;
    const outcome = await sendBatch(account, batch);
    if (outcome !== 'sent') return;
  }
}

async function sendBatch(account, batch) {
  const items = batch.map(toWire);
  const answer = await apiRequest(account.apiUrl, '/api/v1/executions/batch', {
    method: 'POST',
    token: account.token,
    body: { items },
  });
  if (answer.ok) {
    failures = 0;
    const byId = new Map(batch.map((record) => [record.execution_id, record]));
    const settled = [];
    const rejected = [];
    for (const item of answer.data.results || []) {
      // Match by index: a rejected item may have no readable execution_id.
      const record = batch[item.index] || byId.get(item.execution_id);
      if (!record) continue;
      if (item.result === 'created' || item.result === 'duplicate') settled.push(record.execution_id);
      else rejected.push({ record, reason: item.reason || 'rejected by the server' });
    }
    await removeQueued(settled);
    await moveToRejected(rejected);
    await updateAccount({ lastSyncAt: Date.now(), lastError: null, rateLimitedUntil: null });
    return 'sent';
  }
  if (answer.status === 401) {
    await updateAccount({
      revoked: true,
      lastError: 'This device was signed out on the server (revoked). Sign in again to sync; your runs stay queued.',
    });
    return 'stopped';
  }
  if (answer.status === 429) {
    const waitMs = (answer.retryAfter ?? 60) * 1000;
    await updateAccount({
      rateLimitedUntil: Date.now() + waitMs,
      lastError: `The account's run limit is reached; syncing resumes at ${new Date(Date.now() + waitMs).toLocaleTimeString()}.`,
    });
    scheduleSync(waitMs);
    return 'waiting';
  }
  if (answer.status >= 400 && answer.status < 500 && batch.length > 1) {
    // The batch as a whole was refused (e.g. too large): send the runs one by one instead.
    for (const record of batch) {
      const single = await sendBatch(account, [record]);
      if (single !== 'sent') return single;
    }
    return 'sent';
  }
  if (answer.status >= 400 && answer.status < 500) {
    await moveToRejected([{ record: batch[0], reason: answer.error }]);
    return 'sent';
  }
  const delay = backoff();
  await updateAccount({ lastError: `Sync failed: ${answer.error}. Retrying in ${Math.round(delay / 1000)} s.` });
  scheduleSync(delay);
  return 'waiting';
}

// The wire record: exactly the API's fields (local bookkeeping stays here).
// (`owner`, `queued_at` and the local history fields never leave the device.)
const WIRE_FIELDS = [
  'execution_id', 'artifact_uuid', 'message_uuid', 'timestamp', 'execution_time_ms', 'status',
  'output', 'code', 'language', 'title', 'page', 'truncated',
];
function toWire(record) {
  const wire = {};
  for (const field of WIRE_FIELDS) if (record[field] !== undefined) wire[field] = record[field];
  return wire;
}
