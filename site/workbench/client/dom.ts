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
    span.textContent = remedy;
    status.append(' ', span);
  }
}
