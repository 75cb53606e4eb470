// Offscreen document: the runner manager. Content scripts open one port per run; each run is
// routed to the runtime for its language, and its events are relayed back over the port.
import { RUN_PORT } from '../shared/messages.js';
import { JsRunnerHost } from './js-runner-host.js';

const runners = {
  javascript: new JsRunnerHost(),
  typescript: null, // same host: set below
  python: null, // the Python runtime registers itself here when present
};
runners.typescript = runners.javascript;

export function registerRunner(language, runner) {
  runners[language] = runner;
}

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== RUN_PORT) return;
  // Only this extension's own content scripts may start runs.
  if (port.sender?.id !== chrome.runtime.id) {
    port.disconnect();
    return;
  }
  port.postMessage({ type: 'accepted' });
  port.onMessage.addListener(function onFirst(message) {
    if (message.type !== 'run') return;
    port.onMessage.removeListener(onFirst);
    handleRun(port, message);
  });
});

function handleRun(port, request) {
  let open = true;
  const emit = (event) => {
    if (!open) return;
    try {
      port.postMessage(event);
    } catch {
      open = false;
    }
  };
  const runner = runners[request.language];
  if (!runner) {
    emit({ type: 'done', status: 'error', durationMs: 0, message: `No runner for ${request.language} yet.` });
    return;
  }
  const control = runner.run(request, emit);
  port.onMessage.addListener((message) => {
    if (message.type === 'stop') control.stop();
    else if (message.type === 'stdin') control.input?.(message.text);
  });
  // The tab went away or navigated: nobody is listening, so stop the work.
  port.onDisconnect.addListener(() => {
    open = false;
    control.stop();
  });
}
