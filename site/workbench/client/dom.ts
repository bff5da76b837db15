// The parts of one workbench's static shell (Workbench.astro), found once, and the status line.
export interface Parts {
  root: HTMLElement;
  stage: string;
  entry: string;
  status: HTMLElement;
  notice: HTMLElement;
  tree: HTMLElement;
  tabs: HTMLElement;
  host: HTMLElement;
  problems: HTMLElement;
  output: HTMLElement;
  outputScroll: HTMLElement;
  form: HTMLFormElement;
  response: HTMLElement;
  resetDialog: HTMLDialogElement;
  splitter: HTMLElement;
  button(action: string): HTMLButtonElement;
}

function find<T extends Element>(root: HTMLElement, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`workbench: ${selector} is missing from the page`);
  return found;
}

export function partsOf(root: HTMLElement): Parts {
  return {
    root,
    stage: root.dataset.stage ?? '',
    entry: root.dataset.entry ?? '',
    status: find(root, '[data-status]'),
    notice: find(root, '[data-notice]'),
    tree: find(root, '[data-tree]'),
    tabs: find(root, '[data-open-tabs]'),
    host: find(root, '[data-editor-host]'),
    problems: find(root, '[data-problems]'),
    output: find(root, '[data-output]'),
    outputScroll: find(root, '[data-output-scroll]'),
    form: find(root, '[data-request-form]'),
    response: find(root, '[data-response]'),
    resetDialog: find(root, '[data-reset-dialog]'),
    splitter: find(root, '[data-splitter]'),
    button: (action) => find(root, `[data-action="${action}"]`),
  };
}

export type StatusKind = 'idle' | 'busy' | 'ok' | 'error';

/** The status line: one short text, and for errors what the reader can do about it. */
export function setStatus(parts: Pick<Parts, 'status'>, text: string, kind: StatusKind, remedy?: string): void {
  const { status } = parts;
  status.dataset.kind = kind;
  status.textContent = text;
  if (remedy) {
    const span = document.createElement('span');
    span.className = 'wb-remedy';
    span.append(...withLinks(remedy));
    status.append(' ', span);
  }
}

/** Text cut where it names a web address, so the address can become a link. */
export function linkSegments(text: string): { text: string; href?: string }[] {
  const segments: { text: string; href?: string }[] = [];
  let last = 0;
  // Trailing punctuation ends the sentence, not the address.
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'`]*[^\s<>"'`.,;:!?)]/g)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/** A remedy that names a place opens it. */
function withLinks(text: string): (string | HTMLAnchorElement)[] {
  return linkSegments(text).map(({ text: part, href }) => {
    if (!href) return part;
    const link = document.createElement('a');
    link.href = href;
    link.textContent = part;
    return link;
  });
}
