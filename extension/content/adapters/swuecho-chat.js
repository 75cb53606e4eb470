// swuecho/chat: pre.code-block-wrapper > [div.code-block-header > span.code-block-header__lang]
//   + code.hljs.code-block-body.<lang>  (a bare class, not language-*)
export default {
  name: 'swuecho-chat',
  hosts: [],
  signature: '.markdown-body pre.code-block-wrapper',
  block: 'pre.code-block-wrapper',
  code: 'code.code-block-body',
  label: '.code-block-header__lang',
  message: '.chat-message',
  streaming: null,
  composer: 'footer textarea, textarea.n-input__textarea-el',
};
// Test URLs: tests/fixtures/chat-pages/swuecho-chat.html
