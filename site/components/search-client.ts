// Wires the header search box (and the /search/ page) to Pagefind's index, loaded on first use.
interface PagefindResult {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResult> }[] }>;
}

let pagefind: Promise<Pagefind> | undefined;
// A runtime path, not a module Vite should bundle: the index exists only after the build.
const indexUrl = '/pagefind/pagefind.js';
const loadPagefind = () => (pagefind ??= import(/* @vite-ignore */ indexUrl) as Promise<Pagefind>);

/** The best matches for `query`, loading the index on first use; rejects where there is none. */
export async function searchChapters(query: string, limit = 8): Promise<PagefindResult[]> {
  const found = await (await loadPagefind()).search(query);
  return Promise.all(found.results.slice(0, limit).map((r) => r.data()));
}

/** One list item per result: the page's title as a link, and the excerpt with the words marked. */
export function resultItems(results: PagefindResult[]): HTMLLIElement[] {
  return results.map((r) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = r.url;
    link.textContent = r.meta.title ?? r.url;
    const excerpt = document.createElement('p');
    excerpt.innerHTML = r.excerpt; // Pagefind escapes the text and adds only <mark>.
    item.append(link, excerpt);
    return item;
  });
}

export const resultsSummary = (count: number, query: string) => (count ? `${count} result${count === 1 ? '' : 's'} for “${query}”` : `Nothing found for “${query}”`);
export const noIndex = 'Search is not available here: the index is made by "npm run build".';

export function attachSearch(form: HTMLFormElement): void {
  const input = form.querySelector('input')!;
  const panel = form.querySelector<HTMLElement>('.results')!;
  const status = panel.querySelector<HTMLElement>('.status')!;
  const list = panel.querySelector('ol')!;
  let latest = 0;

  const show = (open: boolean) => {
    panel.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
  };

  const run = async () => {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) {
      show(false);
      return;
    }
    show(true);
    status.textContent = 'Searching…';
    try {
      const results = await searchChapters(query);
      if (ticket !== latest) return; // a newer query is on its way
      list.replaceChildren(...resultItems(results));
      status.textContent = resultsSummary(results.length, query);
    } catch {
      status.textContent = noIndex;
    }
  };

  input.addEventListener('focus', () => void loadPagefind().catch(() => undefined), { once: true });
  input.addEventListener('input', () => void run());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    list.querySelector('a')?.focus();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      show(false);
      input.focus();
    }
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const links = [...list.querySelectorAll('a')];
      if (!links.length) return;
      event.preventDefault();
      const at = links.indexOf(document.activeElement as HTMLAnchorElement);
      const next = event.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : at - 1;
      (next < 0 ? input : links[next]!).focus();
    }
  });
  document.addEventListener('keydown', (event) => {
    // Monaco may take keys through an EditContext element that is neither an input nor
    // contenteditable, so anything inside an editor counts as typing too.
    const typing =
      event.target instanceof HTMLElement &&
      (event.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.closest('.monaco-editor') !== null);
    if (event.key === '/' && !typing) {
      event.preventDefault();
      input.focus();
    }
  });
  form.addEventListener('focusout', (event) => {
    if (!form.contains(event.relatedTarget as Node | null)) show(false);
  });
}
