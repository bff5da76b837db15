// The Steps panel: a step's request button fills the request form exactly as the console's own
// button does, then sends it; on a phone the Response is then shown. The "Done" boxes are
// remembered per stage in this browser.
import { fillForm } from './presets.ts';
import type { RequestForm } from '../requests.ts';
import { isPhone, showView } from './view-tabs.ts';

const doneKey = (stage: string) => `workbench:steps-done:${stage}`;

function loadDone(stage: string): Set<string> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(doneKey(stage)) ?? '[]');
    return new Set(Array.isArray(saved) ? saved.map(String) : []);
  } catch {
    return new Set();
  }
}

export function wireSteps(root: HTMLElement, form: HTMLFormElement): void {
  const panel = root.querySelector<HTMLElement>('[data-steps]');
  if (!panel) return;
  const stage = root.dataset.stage ?? '';
  const boxes = [...panel.querySelectorAll<HTMLInputElement>('[data-step-done]')];
  const done = loadDone(stage);
  for (const box of boxes) box.checked = done.has(box.dataset.stepDone ?? '');

  panel.addEventListener('change', (event) => {
    const box = (event.target as Element).closest<HTMLInputElement>('[data-step-done]');
    if (!box) return;
    const ticked = boxes.filter((b) => b.checked).map((b) => b.dataset.stepDone ?? '');
    try {
      localStorage.setItem(doneKey(stage), JSON.stringify(ticked));
    } catch {
      // Storage blocked: the ticks last until the page is left, which is all they promise then.
    }
  });

  panel.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('[data-step-request]');
    if (!button) return;
    fillForm(form, JSON.parse(button.dataset.stepRequest ?? '{}') as RequestForm);
    if (isPhone()) showView(root, 'requests');
    form.requestSubmit();
  });
}
