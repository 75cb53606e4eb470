// huggingface.co/chat (chat-ui): div.group.relative > [sticky copy button] + pre > code.
// The site drops the fence language: it is inferred from the code.
export default {
  name: 'huggingface-chat',
  hosts: ['huggingface.co'],
  signature: '[data-message-role="assistant"]',
  block: '[data-message-role="assistant"] div:has(> pre > code)',
  code: ':scope > pre > code',
  label: null,
  message: '[data-message-id]',
  messageId: 'data-message-id',
  streaming: '[aria-busy="true"]',
  composer: 'form textarea',
};
// Test URLs: tests/fixtures/chat-pages/huggingface-chat.html
