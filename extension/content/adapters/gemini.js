// gemini.google.com: code-block > div.code-block > [div.code-block-decoration > span label] + ... pre > code
// The only language hint is the header's display name ("Python", "JavaScript", "Code snippet").
export default {
  name: 'gemini',
  hosts: ['gemini.google.com'],
  signature: 'code-block .code-block-decoration',
  block: 'code-block',
  code: 'code[data-test-id="code-content"], pre code, pre',
  label: '.code-block-decoration > span',
  message: 'model-response, message-content',
  streaming: '[aria-busy="true"]',
  composer: 'rich-textarea [contenteditable="true"], input-container [contenteditable="true"]',
};
// Test URLs: tests/fixtures/chat-pages/gemini.html
