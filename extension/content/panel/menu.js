// The panel's overflow menu (⋯): a popover in the top layer, anchored to its button, built on
// first use. A menu in the ARIA sense: arrow keys, Home/End, Esc closes and gives focus back.
export const MENU_ITEMS = [
  ['edit', 'Edit'],
  ['history', 'History'],
  ['clear', 'Clear output'],
  ['reset', 'Reset variables'],
  ['revert', 'Revert edits'],
  ['save', 'Save code'],
  ['ask', 'Ask the chat to fix it'],
  ['preview-with-html', 'Preview with the HTML above'],
];

export class OverflowMenu {
  /** @param {HTMLButtonElement} button the ⋯ button  @param {(el, label) => void} name */
  constructor(button, container, name) {
    this.button = button;
    this.element = document.createElement('div');
    this.element.className = 'menu';
    this.element.setAttribute('role', 'menu');
    this.element.popover = 'auto';
    this.items = new Map();
    for (const [action, label] of MENU_ITEMS) {
      const item = document.createElement('button');
      item.type = 'button';
      item.dataset.action = action;
      item.setAttribute('role', 'menuitem');
      item.tabIndex = -1;
      item.textContent = label;
      name(item, label);
      this.element.appendChild(item);
      this.items.set(action, item);
    }
    this.element.addEventListener('toggle', (event) => {
      const open = event.newState === 'open';
      button.setAttribute('aria-expanded', String(open));
      if (!open && this.element.contains(this.element.getRootNode().activeElement)) button.focus();
    });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    container.appendChild(this.element);
  }

  get open() {
    return this.element.matches(':popover-open');
  }

  item(action) {
    return this.items.get(action);
  }

  show(focusFirst = true) {
    if (!this.open) this.element.showPopover();
    if (focusFirst) this.visible()[0]?.focus();
  }

  hide() {
    if (this.open) this.element.hidePopover();
  }

  visible() {
    return Array.from(this.items.values()).filter((item) => !item.hidden && !item.disabled);
  }

  onKey(event) {
    const items = this.visible();
    const at = items.indexOf(this.element.getRootNode().activeElement);
    let next = null;
    if (event.key === 'ArrowDown') next = items[(at + 1) % items.length];
    else if (event.key === 'ArrowUp') next = items[(at - 1 + items.length) % items.length];
    else if (event.key === 'Home') next = items[0];
    else if (event.key === 'End') next = items.at(-1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      event.stopPropagation(); // Esc closes the menu; it does not also stop a run
      this.hide();
      this.button.focus();
      return;
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}
