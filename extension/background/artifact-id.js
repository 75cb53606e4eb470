// The code fingerprint shared with the companion API: UUIDv5(NAMESPACE_URL, "sha256:" + hex of
// the code without its marker line, newlines normalised to \n). Same block, same artifact.
import { v5 as uuidv5 } from 'uuid';

const NAMESPACE_URL = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

export async function artifactUuid(code) {
  const normalised = String(code).replace(/\r\n?/g, '\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(normalised));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return uuidv5(`sha256:${hex}`, NAMESPACE_URL);
}
