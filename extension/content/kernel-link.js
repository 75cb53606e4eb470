// This page's link to the kernels of its conversation (the page address without query or hash):
// while its port is open the offscreen document keeps them; the browser closes the port when the
// page goes away, and the kernels nobody holds are freed. Notices about them (freed: budget,
// idle, restarted) come back over it. A single-page app that moves to another conversation gets
// a new link at its next block or run.
import { PAGE_MESSAGE, PAGE_PORT } from '../shared/messages.js';
import { openPort } from './run-client.js';
import { request } from '../shared/protocol.js';

let link = null; // {key, port: Promise<Port>}
const listeners = new Set();

export function conversationKey() {
  return `${location.origin}${location.pathname}`;
}

/** Hold this conversation's kernels (idempotent); resolves the page port, or null. */
export function holdKernels() {
  const key = conversationKey();
  if (link && link.key === key) return link.port;
  link?.port.then((port) => port?.disconnect());
  const current = {
    key,
    port: openPort(PAGE_PORT, request(1, PAGE_MESSAGE.hold, { path: location.pathname }), (message) => {
      if (message?.event?.type === PAGE_MESSAGE.kernelFreed) listeners.forEach((listener) => listener(message.event));
    }).then(
      (port) => {
        port.onDisconnect.addListener(() => {
          if (link === current) link = null; // the runner went away: link again when needed
        });
        return port;
      },
      () => {
        if (link === current) link = null;
        return null;
      },
    ),
  };
  link = current;
  return current.port;
}

/** Have a kernel of `language` warm for this page's first run. */
export function preloadKernel(language) {
  return holdKernels().then((port) => port?.postMessage(request(0, PAGE_MESSAGE.preload, { language })));
}

/** listener({language, reason}) when a kernel of this conversation is freed. */
export function onKernelFreed(listener) {
  listeners.add(listener);
}
