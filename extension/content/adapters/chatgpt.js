// chatgpt.com: pre > div.contain-inline-size > [header div with the language] ... code.language-*
export default {
  name: 'chatgpt',
  hosts: ['chatgpt.com', 'chat.openai.com'],
  signature: '[data-message-author-role] .markdown',
  block: '[data-message-author-role] .markdown pre',
  code: 'code',
  label: ':scope > div > div:first-child',
  message: '[data-message-id]',
  messageId: 'data-message-id',
  streaming: '.result-streaming, [data-is-streaming="true"]',
  composer: '#prompt-textarea, form[data-type="unified-composer"] [contenteditable="true"], textarea[name="prompt-textarea"]',
};
// Test URLs: tests/fixtures/chat-pages/chatgpt.html, streaming.html
