// Site adapters, most specific first. Each describes structure only; the pipeline is shared.
import chatgpt from './chatgpt.js';
import claude from './claude.js';
import gemini from './gemini.js';
import huggingfaceChat from './huggingface-chat.js';
import openWebui from './open-webui.js';
import swuechoChat from './swuecho-chat.js';
import generic from './generic.js';

// LibreChat and other self-hosted UIs that wrap code in <pre> are served by the generic adapter
// (tests/fixtures/pages/librechat-like.html).
export const SITE_ADAPTERS = [chatgpt, claude, gemini, huggingfaceChat, openWebui, swuechoChat];
export const GENERIC_ADAPTER = generic;
