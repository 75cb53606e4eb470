// Any other site with ordinary markup: every <pre>, code taken from its <code> when present.
// Labels are looked for in a short header just before the code (inside the pre or before it).
export default {
  name: 'generic',
  hosts: ['*'],
  signature: null,
  block: 'pre',
  code: ':scope > code, code',
  label: ':scope > div:not(:has(code)), :scope > span:not(:has(code))',
  previousLabel: true,
  message: '[data-message-id], article, [role="article"]',
  messageId: 'data-message-id',
  streaming: '[data-is-streaming="true"], [aria-busy="true"], .result-streaming',
};
