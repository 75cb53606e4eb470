// Links from the extension's own pages (popup, options) to the companion API's dashboard. Each
// names the device it comes from (its public id, never its token), so the dashboard marks that
// device as "this device".

/** The dashboard's address for `path` ('' = the history, 'runs/<id>' = a run), or null when
 *  signed out. `status` is the service worker's public account view ('sync-status'). */
export function dashboardUrl(status, path = '') {
  if (!status || !status.signedIn || !status.apiUrl) return null;
  const url = new URL(path, `${String(status.apiUrl).replace(/\/+$/, '')}/`);
  if (status.device && status.device.id) url.searchParams.set('this_device', status.device.id);
  return url.href;
}

export function runUrl(status, executionId) {
  return dashboardUrl(status, `runs/${encodeURIComponent(executionId)}`);
}

/** Point a link at the dashboard, or hide it while signed out. */
export function showDashboardLink(link, status) {
  const href = dashboardUrl(status);
  link.hidden = !href;
  if (href) link.href = href;
  else link.removeAttribute('href');
}
