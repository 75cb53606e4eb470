// Talks to the companion API. Errors come back as data ({ok:false, status, error, retryAfter}),
// never as exceptions, so the sync loop can decide what each one means.
const TIMEOUT_MS = 15000;

export async function apiRequest(apiUrl, path, { method = 'GET', token = null, body } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(new URL(path, apiUrl), {
      method,
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit', // the API takes Bearer tokens only, never cookies
      signal: controller.signal,
    });
    const data = await response.json().catch(() => null);
    if (response.ok) return { ok: true, status: response.status, data };
    return {
      ok: false,
      status: response.status,
      error: (data && data.error && data.error.message) || `HTTP ${response.status}`,
      retryAfter: retryAfterSeconds(response.headers.get('Retry-After')),
      data,
    };
  } catch (error) {
    const reason = error.name === 'AbortError' ? 'the server did not answer in time' : 'the server cannot be reached';
    return { ok: false, status: 0, error: `${reason} (${apiUrl})` };
  } finally {
    clearTimeout(timer);
  }
}

function retryAfterSeconds(header) {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : null;
}
