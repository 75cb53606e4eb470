// What the offscreen document believes about a port: the site comes from what the browser says
// of its sender, never from its messages. A content script runs in the page's renderer; if that
// renderer is compromised, every field of its messages is the attacker's. So:
// - the origin (the site) is the sender's: no message can reach another site's kernels;
// - the path within that origin comes from the page, because the browser's sender.url stays at
//   the address the document was loaded with while a single-page chat app moves from one
//   conversation to another (history.pushState). A page can only name conversations of its own
//   origin, which it could reach anyway by navigating;
// - a run request keeps only the code to run: limits, network and package index come from the
//   runner settings, never from the page.

const MAX_CODE_CHARS = 1_000_000;
const MAX_LINE_OFFSET = 1_000_000;
const MAX_PATH_CHARS = 2048;

/**
 * The conversation a port belongs to: {key, site, origin, tabId}, or null when the sender is not
 * a web page's content script. The key is the origin and the page's path (no query or hash), so
 * two sites, or two conversations of one site, never share a key.
 */
export function conversationOf(sender, path) {
  if (!sender || !sender.tab || typeof sender.url !== 'string') return null;
  let url;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (sender.origin && sender.origin !== url.origin) return null;
  return { key: `${url.origin}${pathOf(path) ?? url.pathname}`, site: url.hostname, origin: url.origin, tabId: sender.tab.id };
}

// A path the page says it is at: '/...' only, no query, hash or way out of the origin.
function pathOf(path) {
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.length > MAX_PATH_CHARS) return null;
  if (/[?#\\\s]/.test(path)) return null;
  return path;
}

/** The fields of a run request the offscreen document uses; anything else a page sent is dropped. */
export function runRequestFrom(message, isRunnable) {
  const language = typeof message?.language === 'string' ? message.language : '';
  if (!isRunnable(language)) return { error: `No runner for ${language || 'this language'}.` };
  if (typeof message.code !== 'string') return { error: 'The run request has no code.' };
  if (message.code.length > MAX_CODE_CHARS) return { error: 'The code is too long to run (over 1,000,000 characters).' };
  const offset = Number(message.lineOffset);
  const lineOffset = Number.isInteger(offset) && offset >= 0 && offset <= MAX_LINE_OFFSET ? offset : 0;
  return { request: { language, code: message.code, lineOffset } };
}
