// Earlier runs of the same code on the same site: this device's at once, other devices' once
// synced. Never runs from other sites, because the page can read the panel.
import { artifactUuid } from './artifact-id.js';
import { getAccount } from './account.js';
import { apiRequest } from './api-client.js';
import { localRuns } from './run-store.js';

const SHOWN = 20;

// Local runs carry their output; the API's lists carry summaries with `output_preview`.
function summary(run, fromThisDevice) {
  const text = run.output_preview ?? (run.output || [])
    .filter((item) => !['figure', 'table'].includes(item.type))
    .map((item) => item.content)
    .join('');
  return {
    execution_id: run.execution_id,
    timestamp: run.timestamp,
    status: run.status,
    execution_time_ms: run.execution_time_ms,
    device: fromThisDevice ? 'this device' : (run.device && run.device.name) || 'another device',
    preview: text.slice(0, 300),
  };
}

export async function historyFor(code, site) {
  const artifact = await artifactUuid(code);
  const runs = new Map();
  for (const run of await localRuns(artifact, site)) runs.set(run.execution_id, summary(run, true));
  const account = await getAccount();
  if (account.token && !account.revoked) {
    const answer = await apiRequest(account.apiUrl, `/api/v1/artifacts/${artifact}`, { token: account.token });
    if (answer.ok) {
      for (const run of answer.data.runs || []) {
        if (!run.page || run.page.site !== site || runs.has(run.execution_id)) continue;
        const mine = account.device && run.device && run.device.id === account.device.id;
        runs.set(run.execution_id, summary(run, mine));
      }
    }
  }
  return [...runs.values()].sort((a, b) => (a.timestamp < b.timestamp ? 1 : -1)).slice(0, SHOWN);
}
