// The separator between the code and the output/requests panes: drag it, or focus it and use
// the arrow keys (Home/End for the limits). Its value is the code pane's share in percent,
// kept in aria-valuenow and remembered across pages.
const key = 'workbench:split';

export function wireSplitter(root: HTMLElement, splitter: HTMLElement): void {
  const min = Number(splitter.getAttribute('aria-valuemin') ?? 25);
  const max = Number(splitter.getAttribute('aria-valuemax') ?? 80);
  const set = (value: number, remember = true) => {
    const v = Math.round(Math.min(max, Math.max(min, value)));
    root.style.setProperty('--wb-split', String(v));
    splitter.setAttribute('aria-valuenow', String(v));
    splitter.setAttribute('aria-valuetext', `code pane ${v}% of the width`);
    if (remember) {
      try {
        localStorage.setItem(key, String(v));
      } catch {
        // Not remembering the width is no loss worth telling anyone about.
      }
    }
  };
  const value = () => Number(splitter.getAttribute('aria-valuenow') ?? 60);
  try {
    const saved = Number(localStorage.getItem(key));
    if (saved) set(saved, false);
  } catch {
    // Storage blocked: start from the default.
  }

  splitter.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 10 : 5;
    const next: Record<string, number> = { ArrowLeft: value() - step, ArrowRight: value() + step, Home: min, End: max, PageUp: value() - 10, PageDown: value() + 10 };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    set(target);
  });

  splitter.addEventListener('pointerdown', (event) => {
    const body = splitter.parentElement;
    if (!body || event.button !== 0) return;
    event.preventDefault();
    splitter.setPointerCapture(event.pointerId);
    splitter.dataset.dragging = '';
    const box = body.getBoundingClientRect();
    const move = (e: PointerEvent) => set(((e.clientX - box.left) / box.width) * 100, false);
    const up = () => {
      splitter.removeEventListener('pointermove', move);
      delete splitter.dataset.dragging;
      set(value());
    };
    splitter.addEventListener('pointermove', move);
    splitter.addEventListener('pointerup', up, { once: true });
    splitter.addEventListener('pointercancel', up, { once: true });
  });
}
