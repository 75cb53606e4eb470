// Keyboard commands (manifest `commands`, shortcuts at chrome://extensions/shortcuts): the
// command runs the code block nearest the middle of the active tab's window, through that tab's
// content script. A command is a user action: page scripts can neither send nor see it.
import { TAB_MESSAGE } from '../shared/messages.js';

const RUN_NEAREST = TAB_MESSAGE.runNearestBlock; // the manifest's command name too

chrome.commands?.onCommand.addListener((command, tab) => {
  if (command !== RUN_NEAREST || tab?.id == null) return;
  chrome.tabs.sendMessage(tab.id, { type: RUN_NEAREST }).catch(() => {
    /* no content script there (an extension page, a page it does not run on) */
  });
});
