// claude.ai: div.group/copy > [copy button | label div | div > pre.code-block__code > code.language-*]
export default {
  name: 'claude',
  hosts: ['claude.ai'],
  signature: '[data-is-streaming] .standard-markdown, .font-claude-response, .font-claude-message',
  // The block root is the wrapper holding label + pre (older layouts: the generic <pre> rule).
  block: '.standard-markdown div:has(> div > pre.code-block__code)',
  code: 'pre code, code',
  label: ':scope > div:not(:has(pre)):not(:has(button))',
  message: '[data-test-render-count], [data-is-streaming]',
  streaming: '[data-is-streaming="true"]',
  composer: 'fieldset [contenteditable="true"], div.ProseMirror[contenteditable="true"]',
};
// Test URLs: tests/fixtures/chat-pages/claude.html
