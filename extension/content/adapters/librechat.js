// LibreChat: div.w-full.rounded-md > [header with language span + its own Run/Copy buttons]
//   + div.overflow-y-auto > code.hljs.language-*. Panel goes after the block root.
export default {
  name: 'librechat',
  hosts: [],
  signature: '.markdown.prose .hljs, [data-testid="messages-view"]',
  block: '.markdown.prose div:has(> div > code.hljs)',
  code: 'code',
  label: ':scope > div:first-child > span',
  message: '.message-render, [data-testid^="message"]',
  streaming: '.result-streaming',
};
