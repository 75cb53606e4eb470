// One runnable block on the page. It gets a light host at once — `[data-code-runner]` with the
// language and title, no shadow root, nothing to lay out — and its full Run panel (BlockController)
// when it comes near the viewport (near-viewport.js) or is run: a page of a thousand blocks pays
// only for the few the reader sees.
import { BlockController } from './block-controller.js';
import { detectTheme } from './panel/theme.js';

export class BlockSlot {
  /** `number`: the block's position among the page's panels (for accessible names); `theme`:
   *  the page's around the block, read with the block (null: read it when the panel is built). */
  constructor(root, adapter, info, number, theme = null) {
    this.root = root;
    this.adapter = adapter;
    this.info = info;
    this.number = number;
    this.theme = theme;
    this.controller = null;
    this.host = document.createElement('div');
    this.host.setAttribute('data-code-runner', '');
    this.host.dataset.state = 'idle';
    this.describe(info);
    this.place();
  }

  get full() {
    return Boolean(this.controller);
  }

  /** The full panel, built now if it is not yet: only writes, when the theme was read before. */
  upgrade() {
    if (!this.controller) {
      const theme = this.theme ?? detectTheme(this.root);
      this.controller = new BlockController(this.root, this.adapter, this.info, theme, this.number, this.host);
    }
    return this.controller;
  }

  get panel() {
    return this.upgrade().panel;
  }

  /** The block was re-rendered or replaced: follow the new element, its current text and theme. */
  update(root, adapter, info, theme) {
    this.root = root;
    this.adapter = adapter;
    this.info = info;
    this.theme = theme;
    if (this.controller) {
      this.controller.update(root, adapter, info, theme);
    } else {
      this.describe(info);
      this.place();
    }
  }

  describe({ language, title }) {
    this.host.dataset.language = language;
    if (title) this.host.dataset.title = title;
    else delete this.host.dataset.title;
  }

  place() {
    if (this.root.nextSibling !== this.host) this.root.after(this.host);
  }

  setNumber(number) {
    this.number = number;
    this.controller?.panel.setNumber(number);
  }

  start() {
    this.upgrade().start();
  }

  kernelFreed(message) {
    this.controller?.kernelFreed(message);
  }

  dispose() {
    if (this.controller) this.controller.dispose();
    else this.host.remove();
  }
}
