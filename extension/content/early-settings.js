// The content script's first part, run at document_start: it starts reading the page settings
// while the page loads, so when the content script proper starts (document_idle) they are there
// and its first task can already show the panels of the blocks on screen. Nothing else.
import { startEarlyPageSettingsRead } from '../shared/page-settings-read.js';

if (/^https?:$/.test(location.protocol)) startEarlyPageSettingsRead();
