// Open WebUI: div.rounded-3xl > [label div] + [sticky toolbar with the site's own Run/Copy]
//   + div.language-{lang} > CodeMirror editor (.cm-line per line), or pre > code when read-only.
// Our panel goes after the whole block so the site's own Run button keeps working.
export default {
  name: 'open-webui',
  hosts: [],
  signature: '#response-content-container',
  block: '#response-content-container div:has(> div[class*="language-"])',
  code: '.cm-content, pre code',
  label: ':scope > div.absolute',
  message: '[id^="message-"]',
  messageId: 'id',
  streaming: null,
  composer: '#chat-input',
};
// Test URLs: tests/fixtures/chat-pages/open-webui.html
