/** The few DOM helpers the views share. Text goes in through textContent only, never as markup. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Writes only a changed value, so an unchanged cell costs no DOM mutation (and no style work). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

export function setData(node: HTMLElement, key: string, value: string): void {
  if (node.dataset[key] !== value) node.dataset[key] = value;
}

/** Restarts a CSS flash without forcing a layout: two identical keyframe names, swapped on each flash. */
export function flash(node: HTMLElement): void {
  node.dataset.flash = node.dataset.flash === "a" ? "b" : "a";
}
