// The stage picker's submit: straight to the page of that pair, the earlier stage first
// (only those pages are built; the diff the other way round is the same one read backwards).
import { compareUrl } from './url.ts';

export function wireStagePickers(doc: Document): void {
  for (const form of doc.querySelectorAll<HTMLFormElement>('[data-stage-picker]')) {
    form.addEventListener('submit', (event) => {
      const value = (name: string) => (form.elements.namedItem(name) as HTMLSelectElement).value;
      const [from, to] = [value('from'), value('to')].sort();
      event.preventDefault();
      if (from === to) {
        const message = form.querySelector('[data-picker-message]');
        if (message) message.textContent = 'Pick two different stages.';
        return;
      }
      location.assign(compareUrl(from!, to!));
    });
  }
}
