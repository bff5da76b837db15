// The workbench's separators: code | output and requests (vertical), and output / requests
// (horizontal). Drag one, or focus it and use the arrow keys (Home/End for the limits). Its
// value is the first pane's share in percent, kept in aria-valuenow, set as a CSS variable on
// the workbench and remembered across pages.
interface SplitterOptions {
  /** The localStorage key that remembers the value. */
  key: string;
  /** The CSS custom property on the workbench that the layout reads. */
  property: string;
  /** What the value means, for aria-valuetext: "code pane 60% of the width". */
  describe: (value: number) => string;
}

const vertical: SplitterOptions = { key: 'workbench:split', property: '--wb-split', describe: (v) => `code pane ${v}% of the width` };
const horizontal: SplitterOptions = { key: 'workbench:split-output', property: '--wb-output', describe: (v) => `output ${v}% of the height` };

export function wireSplitter(root: HTMLElement, splitter: HTMLElement): void {
  const across = splitter.getAttribute('aria-orientation') === 'horizontal';
  const { key, property, describe } = across ? horizontal : vertical;
  const min = Number(splitter.getAttribute('aria-valuemin') ?? 25);
  const max = Number(splitter.getAttribute('aria-valuemax') ?? 80);
  const announce = (v: number) => {
    splitter.setAttribute('aria-valuenow', String(v));
    splitter.setAttribute('aria-valuetext', describe(v));
  };
  const set = (value: number, remember = true) => {
    const v = Math.round(Math.min(max, Math.max(min, value)));
    root.style.setProperty(property, String(v));
    announce(v);
    if (remember) {
      try {
        localStorage.setItem(key, String(v));
      } catch {
        // Not remembering the size is no loss worth telling anyone about.
      }
    }
  };
  const value = () => Number(splitter.getAttribute('aria-valuenow') ?? 60);
  let saved = 0;
  try {
    saved = Number(localStorage.getItem(key));
  } catch {
    // Storage blocked: start from the default.
  }
  if (saved) set(saved, false);
  // Otherwise the layout's default holds (a chapter page may change it): say what it is.
  else announce(Number(getComputedStyle(root).getPropertyValue(property)) || value());

  splitter.addEventListener('keydown', (event) => {
    const step = event.shiftKey ? 10 : 5;
    const less = across ? 'ArrowUp' : 'ArrowLeft';
    const more = across ? 'ArrowDown' : 'ArrowRight';
    const next: Record<string, number> = { [less]: value() - step, [more]: value() + step, Home: min, End: max, PageUp: value() - 10, PageDown: value() + 10 };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    set(target);
  });

  splitter.addEventListener('pointerdown', (event) => {
    const area = splitter.parentElement;
    if (!area || event.button !== 0) return;
    event.preventDefault();
    splitter.setPointerCapture(event.pointerId);
    splitter.dataset.dragging = '';
    const box = area.getBoundingClientRect();
    const move = (e: PointerEvent) => set(across ? ((e.clientY - box.top) / box.height) * 100 : ((e.clientX - box.left) / box.width) * 100, false);
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

/**
 * The maximise toggles: the side pane (Output and Requests) or the code takes the workbench's
 * whole width. `data-maximised` on the workbench says which; one at a time, so pressing one
 * releases the other.
 */
export function wireMaximise(root: HTMLElement, buttons: { side?: HTMLButtonElement | null; code?: HTMLButtonElement | null }): void {
  const entries = Object.entries(buttons).filter((entry): entry is [string, HTMLButtonElement] => Boolean(entry[1]));
  for (const [which, button] of entries) {
    button.addEventListener('click', () => {
      const on = button.getAttribute('aria-pressed') !== 'true';
      for (const [, other] of entries) other.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', String(on));
      if (on) root.dataset.maximised = which;
      else delete root.dataset.maximised;
    });
  }
}
