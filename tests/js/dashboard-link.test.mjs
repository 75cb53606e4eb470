// Links from the popup and options page to the dashboard (extension/shared/dashboard-link.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dashboardUrl, runUrl } from '../../extension/shared/dashboard-link.js';

const status = { signedIn: true, apiUrl: 'https://runs.example.org/chatrun/', device: { id: 'd3f1c0de-0000-4000-8000-000000000001' } };

test('the dashboard link names this device and keeps the API path', () => {
  assert.equal(dashboardUrl(status), 'https://runs.example.org/chatrun/?this_device=d3f1c0de-0000-4000-8000-000000000001');
  assert.equal(runUrl(status, 'a b'), 'https://runs.example.org/chatrun/runs/a%20b?this_device=d3f1c0de-0000-4000-8000-000000000001');
  assert.equal(dashboardUrl({ ...status, apiUrl: 'http://127.0.0.1:8765' }, 'runs/x'), 'http://127.0.0.1:8765/runs/x?this_device=d3f1c0de-0000-4000-8000-000000000001');
});

test('signed out there is no link', () => {
  assert.equal(dashboardUrl({ ...status, signedIn: false }), null);
  assert.equal(runUrl(null, 'x'), null);
});
