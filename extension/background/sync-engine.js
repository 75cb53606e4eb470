// Sends queued runs to the companion API in batches. The queue is only emptied by the server's
// answer, so nothing is lost: outages back off exponentially with jitter, 429 waits for
// Retry-After, 401 (revoked device) stops syncing but keeps the queue. Retries are safe: the
// server deduplicates by execution_id.
//
// One run must never hold up the others (issue #9). A batch that fails while the server is
// otherwise up (GET /healthz answers 200) is sent again as two halves, down to single runs; a run
// that still fails on its own waits and is tried again, and after MAX_TRIES such failures — once
// other runs have got through since, so the server is not failing on everything — it goes to the
// quarantine with the server's answer. So do runs the server refuses (a final `rejected` item, or
// 413/422 for the run alone). The user retries or discards them from the popup or options page.
import { getAccount, updateAccount } from './account.js';
import { apiRequest } from './api-client.js';
import { makeDue, quarantine, queuedBatch, removeQueued, updateQueued } from './run-store.js';

export const SYNC_ALARM = 'chatrun-sync';
const BATCH_SIZE = 100;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60 * 1000;
const ALARM_MIN_MS = 30 * 1000; // Chrome's floor for alarms; they wake a stopped worker
export const MAX_TRIES = 3;
// Single runs failing in a row with nothing delivered in between: the server fails on
// everything (not on them), so stop splitting and back off.
const MAX_STRIKES = 4;
// Answers that are about the payload: final for a run sent alone.
const PAYLOAD_STATUSES = new Set([400, 413, 422]);

let running = null;
let followUp = null;
let followUpExplicit = false;
let failures = 0;
let strikes = 0;
let lastDeliveredAt = 0;
let timer = null;

/** Sync soon (coalesces calls); the alarm is the fallback if this worker is stopped first. */
export function scheduleSync(delayMs = 0) {
  clearTimeout(timer);
  timer = setTimeout(() => syncNow(), delayMs);
  if (delayMs > 0) chrome.alarms.create(SYNC_ALARM, { when: Date.now() + Math.max(delayMs, ALARM_MIN_MS) });
}

/**
 * Drain the queue now. `explicit` (the user's Sync now or Retry) waits for no timer: not the
 * outage backoff, not a run's next try, not Retry-After (the server answers 429 again if it
 * still applies). A call during a drain runs once more right after it, so no run is left behind.
 */
export function syncNow({ explicit = false } = {}) {
  if (explicit) {
    failures = 0;
    clearTimeout(timer);
  }
  if (!running) {
    running = drain(explicit).finally(() => {
      running = null;
    });
    return running;
  }
  followUpExplicit ||= explicit;
  followUp ||= running.catch(() => {}).then(() => {
    const again = followUpExplicit;
    followUp = null;
    followUpExplicit = false;
    return syncNow({ explicit: again });
  });
  return followUp;
}

/** Whose runs these are: a run made under one account never syncs into another. */
export function ownerOf(account) {
  return account.token ? `${account.apiUrl}|${account.email}` : null;
}

// "Equal jitter": half the ceiling for sure, the other half at random.
function jittered(ceiling) {
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function backoff() {
  failures += 1;
  return jittered(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** failures));
}

async function drain(explicit) {
  strikes = 0;
  if (explicit) await makeDue();
  for (let first = true; ; first = false) {
    const account = await getAccount();
    if (!account.token || !account.syncEnabled || account.revoked) return;
    if (!(explicit && first) && account.rateLimitedUntil && Date.now() < account.rateLimitedUntil) {
      scheduleSync(account.rateLimitedUntil - Date.now());
      return;
    }
    const { batch, waitingUntil } = await queuedBatch(BATCH_SIZE, ownerOf(account));
    if (!batch.length) {
      if (waitingUntil) scheduleSync(Math.max(0, waitingUntil - Date.now()));
      return;
    }
    if ((await deliver(account, batch, Date.now())) !== 'sent') return;
  }
}

/** Send one batch and act on the answer: 'sent' (go on), 'waiting' or 'stopped'. */
async function deliver(account, batch, since) {
  const answer = await apiRequest(account.apiUrl, '/api/v1/executions/batch', {
    method: 'POST',
    token: account.token,
    body: { items: batch.map(toWire) },
  });
  if (answer.ok) return settle(batch, answer.data);
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
  const aboutPayload = PAYLOAD_STATUSES.has(answer.status);
  if (!aboutPayload && (strikes >= MAX_STRIKES || !(await serverIsUp(account)))) return outage(answer);
  if (batch.length > 1) {
    // Some run in this batch is at fault: each half on its own, so the others get through.
    const middle = Math.ceil(batch.length / 2);
    for (const half of [batch.slice(0, middle), batch.slice(middle)]) {
      const outcome = await deliver(account, half, since);
      if (outcome !== 'sent') return outcome;
    }
    return 'sent';
  }
  if (aboutPayload) await quarantine([{ record: batch[0], problem: problemOf(answer) }]);
  else await failedAlone(batch[0], answer, since);
  return 'sent';
}

async function settle(batch, data) {
  const settled = [];
  const refused = [];
  for (const item of data?.results || []) {
    const record = batch[item.index]; // by index: a rejected item may have no readable execution_id
    if (!record) continue;
    if (item.result === 'created' || item.result === 'duplicate') settled.push(record.execution_id);
    else {
      refused.push({
        record,
        problem: { code: item.code || 'rejected', reason: item.reason || 'Refused by the server.', fields: item.fields },
      });
    }
  }
  if (!settled.length && !refused.length) return outage({ error: 'the server answered no run of the batch' });
  await removeQueued(settled);
  await quarantine(refused);
  failures = 0;
  strikes = 0;
  lastDeliveredAt = Date.now();
  await updateAccount({ lastSyncAt: lastDeliveredAt, lastError: null, rateLimitedUntil: null });
  return 'sent';
}

/** The server (or the way to it) is down: try everything again later. */
async function outage(answer) {
  const delay = backoff();
  await updateAccount({ lastError: `Sync failed: ${answer.error}. Retrying in ${Math.round(delay / 1000)} s.` });
  scheduleSync(delay);
  return 'waiting';
}

async function serverIsUp(account) {
  return (await apiRequest(account.apiUrl, '/healthz')).ok;
}

/** A run that failed on its own while the server was up: try it later, or quarantine it. */
async function failedAlone(record, answer, since) {
  strikes += 1;
  const tries = (record.sync_tries || 0) + 1;
  const firstFailedAt = record.first_failed_at ?? since;
  const othersGotThrough = Math.max(lastDeliveredAt, (await getAccount()).lastSyncAt || 0) >= firstFailedAt;
  if (tries >= MAX_TRIES && othersGotThrough) {
    const problem = problemOf(answer);
    problem.reason = `The server failed on this run ${tries} times: ${problem.reason}`;
    await quarantine([{ record, problem }]);
    return;
  }
  await updateQueued([{
    ...record,
    sync_tries: tries,
    first_failed_at: firstFailedAt,
    retry_at: Date.now() + jittered(Math.min(MAX_DELAY_MS, 2 * BASE_DELAY_MS * 2 ** (tries - 1))),
    last_error: problemOf(answer).reason,
  }]);
}

/** The server's answer as a quarantine reason: {code, reason, fields}. */
function problemOf(answer) {
  const error = answer.data?.error;
  const code = error?.code || (answer.status ? `http_${answer.status}` : 'no_answer');
  const reason = answer.status ? `${answer.error} (HTTP ${answer.status})` : answer.error;
  return { code, reason, fields: error?.fields || null };
}

// The wire record: exactly the API's fields (local bookkeeping stays here).
// (`owner`, `queued_at`, the sync bookkeeping and the local history fields never leave the device.)
const WIRE_FIELDS = [
  'execution_id', 'artifact_uuid', 'message_uuid', 'timestamp', 'execution_time_ms', 'status',
  'output', 'code', 'language', 'title', 'page', 'truncated',
];
function toWire(record) {
  const wire = {};
  for (const field of WIRE_FIELDS) if (record[field] !== undefined) wire[field] = record[field];
  return wire;
}
