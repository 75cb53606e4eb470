// Offscreen document: the runner manager. Content scripts open one port per run; each run is
// routed to the runtime for its language, and its events are relayed back over the port.
import { RUN_PORT } from '../shared/messages.js';
import { JsRunnerHost } from './js-runner-host.js';
import { PyRunnerHost } from './py-runner-host.js';

const js = new JsRunnerHost();
const python = new PyRunnerHost();
const runners = { javascript: js, typescript: js, python };

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== RUN_PORT) return;
  // Only this extension's own content scripts may start runs.
  if (port.sender?.id !== chrome.runtime.id) {
    port.disconnect();
    return;
  }
  port.postMessage({ type: 'accepted' });
  port.onMessage.addListener(function onFirst(message) {
    if (message.type === 'preload') {
      port.onMessage.removeListener(onFirst);
      python.preload((event) => port.postMessage(event));
    } else if (message.type === 'run') {
      port.onMessage.removeListener(onFirst);
      handleRun(port, message);
    }
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
