// The notice bar under the toolbar: one message at a time with its actions ("Undo reset",
// "Load shared edits"). It is a polite live region, so the message is announced; it stays
// until the reader acts on it or dismisses it, never on a timer that could outrun them.
export interface NoticeAction {
  label: string;
  run(): void;
  /** The action the reader most likely wants; it gets focus when `focus` is set. */
  primary?: boolean;
}

export interface NoticeOptions {
  actions?: NoticeAction[];
  /** A read-only text field to copy from (the share link). */
  copyText?: { label: string; value: string };
  focus?: boolean;
  /** A verdict (the exercise check's): coloured as passed or failed. */
  kind?: 'ok' | 'error';
}

export function showNotice(notice: HTMLElement, message: string, options: NoticeOptions = {}): void {
  const text = document.createElement('p');
  text.textContent = message;
  const children: HTMLElement[] = [text];
  let primary: HTMLElement | undefined;
  for (const action of options.actions ?? []) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.addEventListener('click', () => {
      hideNotice(notice);
      action.run();
    });
    if (action.primary) primary = button;
    children.push(button);
  }
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.textContent = 'Dismiss';
  dismiss.addEventListener('click', () => hideNotice(notice));
  children.push(dismiss);
  if (options.copyText) {
    const field = document.createElement('input');
    field.readOnly = true;
    field.value = options.copyText.value;
    field.setAttribute('aria-label', options.copyText.label);
    field.addEventListener('focus', () => field.select());
    children.push(field);
  }
  notice.replaceChildren(...children);
  if (options.kind) notice.dataset.kind = options.kind;
  else delete notice.dataset.kind;
  notice.hidden = false;
  if (options.focus) (primary ?? dismiss).focus();
}

export function hideNotice(notice: HTMLElement): void {
  const hadFocus = notice.contains(document.activeElement);
  notice.hidden = true;
  notice.replaceChildren();
  if (hadFocus) notice.closest<HTMLElement>('[data-workbench]')?.querySelector<HTMLElement>('[data-action="run"]')?.focus();
}
