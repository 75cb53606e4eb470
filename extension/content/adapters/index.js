// Site adapters, most specific first. Each describes structure only; the pipeline is shared.
import chatgpt from './chatgpt.js';
import claude from './claude.js';
import gemini from './gemini.js';
import huggingfaceChat from './huggingface-chat.js';
import openWebui from './open-webui.js';
import swuechoChat from './swuecho-chat.js';
import librechat from './librechat.js';
import generic from './generic.js';

export const SITE_ADAPTERS = [chatgpt, claude, gemini, huggingfaceChat, openWebui, swuechoChat, librechat];
export const GENERIC_ADAPTER = generic;
