// Any other site. A code block is recognised by what it is, not by its tag (block-finder.js):
// every <pre>, and code rendered without one (a highlighter with PreTag="div", one element per
// line, a read-only CodeMirror 6 view, a `code` laid out as a block with white-space: pre), at
// least two lines long. The block root is the whole visual block (the code with its header and
// toolbar), so the panel goes after it and the header's language label is read.
import { codeOfBlock, eachCodeBlock } from '../block-finder.js';
import { selectorList } from '../adapter-guard.js';

const CODE = ':scope > code, code';
const MESSAGE = '[data-message-id], article, [role="article"]';
const where = { code: selectorList(CODE), stop: MESSAGE };

export default {
  name: 'generic',
  hosts: ['*'],
  signature: null,
  find: (scope, skip) => Array.from(eachCodeBlock(scope, { ...where, skip })).filter(Boolean),
  // The same, lazily, so a long page is searched in slices (block-scanner.js): one candidate per
  // step (undefined: not a block), in the order `order` gives.
  findEach: (scope, skip, order) => eachCodeBlock(scope, { ...where, skip, order }),
  codeOf: (root) => codeOfBlock(root, where),
  code: CODE,
  label: ':scope > div:not(:has(code)), :scope > span:not(:has(code))',
  previousLabel: true,
  message: MESSAGE,
  messageId: 'data-message-id',
  streaming: '[data-is-streaming="true"], [aria-busy="true"], .result-streaming',
  composer: null, // the visible textarea or contenteditable box lowest on the page (composer.js)
};
// Test URLs: tests/fixtures/pages/{many-blocks,librechat-like}.html,
//   tests/fixtures/chat-pages/{react-highlighter-div,lines-per-element,codemirror-readonly,header-filetype}.html
