// The Solution button: exercise/solution/ stays out of the Files tree until the reader asks,
// and confirms in a dialog, so the answer is never the first thing in sight. Once shown it
// stays shown for that stage (on this browser) until the reader hides it again.
const shownKey = (stage: string) => `workbench:solution-shown:${stage}`;

function remember(stage: string, shown: boolean): void {
  try {
    if (shown) localStorage.setItem(shownKey(stage), '1');
    else localStorage.removeItem(shownKey(stage));
  } catch {
    // Without storage the choice lasts as long as the page.
  }
}

function remembered(stage: string): boolean {
  try {
    return localStorage.getItem(shownKey(stage)) === '1';
  } catch {
    return false;
  }
}

/** The event that shows the solution's folder without asking (see session.openDeepLink). */
export const REVEAL_SOLUTION = 'workbench:reveal-solution';
export const isSolutionPath = (path: string) => path.startsWith('exercise/solution/');

export function wireSolution(root: HTMLElement, tree: HTMLElement, stage: string): void {
  const button = root.querySelector<HTMLButtonElement>('[data-action="solution"]');
  const dialog = root.querySelector<HTMLDialogElement>('[data-solution-dialog]');
  const folder = tree.querySelector<HTMLElement>('[data-solution]');
  if (!button || !dialog || !folder) return;

  const show = (shown: boolean) => {
    folder.hidden = !shown;
    button.textContent = shown ? 'Hide solution' : 'Solution';
    if (!shown) {
      // The tree's one tab stop must stay reachable.
      const stop = folder.querySelector<HTMLElement>('[tabindex="0"]');
      if (stop) {
        stop.tabIndex = -1;
        const first = tree.querySelector<HTMLElement>('[role="treeitem"]');
        if (first) first.tabIndex = 0;
      }
      return;
    }
    // Open the way to it: the exercise folder and the solution folder itself.
    for (let item: HTMLElement | null = folder; item && tree.contains(item); item = item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? null) {
      item.setAttribute('aria-expanded', 'true');
    }
  };
  if (remembered(stage)) show(true);
  // A deep link to a file of the solution asks for it by name: the tree shows where it is
  // (for this visit; only the Solution button's answer is remembered).
  root.addEventListener(REVEAL_SOLUTION, () => show(true));

  button.addEventListener('click', () => {
    if (!folder.hidden) {
      show(false);
      remember(stage, false);
      return;
    }
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'show') return;
    show(true);
    remember(stage, true);
    folder.scrollIntoView({ block: 'nearest' });
  });
}
