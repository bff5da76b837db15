// The calculator's client side: read the radio buttons, assess, and write the verdict into the
// live region. The decision itself is site/lib/decision.ts; this file only wires the form.
import { assess, criteria, maxTotal, presets, scoresFromHash, scoresToHash, type Scores } from '../lib/decision.ts';

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

const isScoresHash = (hash: string) => Object.keys(scoresFromHash(hash)).length > 0;

export function wireDecisionCalculator(form: HTMLFormElement): void {
  const region = form.querySelector<HTMLElement>('[data-verdict-region]')!;
  const presetButtons = [...form.querySelectorAll<HTMLButtonElement>('[data-preset]')];
  const share = form.querySelector<HTMLElement>('[data-share]');
  let loaded: (typeof presets)[number] | undefined;

  const read = (): Partial<Scores> => {
    const scores: Partial<Scores> = {};
    for (const { id } of criteria) {
      const checked = form.querySelector<HTMLInputElement>(`input[name="${id}"]:checked`);
      if (checked) scores[id] = Number(checked.value) as Scores[typeof id];
    }
    return scores;
  };

  const write = (scores: Partial<Scores>) => {
    for (const { id } of criteria) {
      for (const input of form.querySelectorAll<HTMLInputElement>(`input[name="${id}"]`)) input.checked = Number(input.value) === scores[id];
    }
  };

  const render = () => {
    const scores = read();
    const scored = criteria.filter((c) => scores[c.id] !== undefined).length;
    if (loaded && criteria.some((c) => scores[c.id] !== loaded!.scores[c.id])) loaded = undefined;
    for (const button of presetButtons) button.setAttribute('aria-pressed', String(button.dataset.preset === loaded?.id));

    const parts: HTMLElement[] = [];
    if (scored < criteria.length) {
      const sum = criteria.reduce((total, c) => total + (scores[c.id] ?? 0), 0);
      region.removeAttribute('data-verdict');
      parts.push(element('p', `Total so far: ${sum} of ${maxTotal}`, 'total'));
      parts.push(element('p', `${scored} of ${criteria.length} criteria scored. Score the rest for a verdict.`));
    } else {
      const result = assess(scores as Scores);
      region.dataset.verdict = result.verdict;
      parts.push(element('p', `Total: ${result.total} of ${maxTotal}`, 'total'));
      parts.push(element('p', loaded ? `${loaded.name}: ${result.headline}` : result.headline, 'headline'));
      const list = document.createElement('ul');
      list.append(...result.reasons.map((reason) => element('li', reason)));
      parts.push(list);
      if (loaded) parts.push(element('p', `Why we scored ${loaded.name.toLowerCase()} so: ${loaded.why}`));
    }
    region.replaceChildren(...parts);

    // The address carries scores only: a heading's anchor stays until the reader scores something.
    const hash = scoresToHash(scores);
    if (hash ? hash !== location.hash : isScoresHash(location.hash)) history.replaceState(null, '', hash || location.pathname + location.search);
    if (share) share.hidden = !hash;
  };

  form.addEventListener('change', render);
  form.addEventListener('submit', (event) => event.preventDefault());
  for (const button of presetButtons) {
    button.addEventListener('click', () => {
      loaded = presets.find((p) => p.id === button.dataset.preset);
      if (!loaded) return;
      write(loaded.scores);
      render();
    });
  }
  // An instructor's link: scores in the hash, on arrival or pasted while the page is open.
  // Any other anchor (a heading, the skip link) is the reader moving about: leave it alone.
  const fromHash = () => {
    if (isScoresHash(location.hash)) write(scoresFromHash(location.hash));
  };
  addEventListener('hashchange', () => {
    if (isScoresHash(location.hash)) {
      fromHash();
      render();
    }
  });
  form.querySelector<HTMLElement>('[data-presets]')!.hidden = false;
  fromHash();
  render();
}
