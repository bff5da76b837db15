// Ready-made request buttons fill the request form. Placeholders such as {lastOrderId} are
// filled from what earlier responses taught the console (see console.ts), or left for Send.
import { fillPlaceholders, type Placeholders, type RequestForm } from '../requests.ts';

/** Shared with the console, which learns the values from responses. */
export const placeholders: Placeholders = {};

export function fillForm(form: HTMLFormElement, request: RequestForm): void {
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  field('method').value = request.method;
  field('path').value = fillPlaceholders(request.path, placeholders);
  field('headers').value = fillPlaceholders(request.headers, placeholders);
  field('body').value = fillPlaceholders(request.body, placeholders);
}

export function wirePresets(root: HTMLElement, form: HTMLFormElement): void {
  root.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('[data-preset]');
    if (!button) return;
    fillForm(form, JSON.parse(button.dataset.preset ?? '{}') as RequestForm);
    (form.elements.namedItem('path') as HTMLInputElement).focus();
  });
}
