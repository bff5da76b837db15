// The compare page's only up-front script: a click on "Side by side" loads Monaco's diff
// editor for that file. Nothing heavy loads until then.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-diff-path]')) {
  button.addEventListener('click', async () => {
    const host = document.getElementById(button.getAttribute('aria-controls') ?? '');
    if (!host) return;
    const { from = '', to = '', diffPath = '' } = button.dataset;
    button.disabled = true;
    host.hidden = false;
    host.setAttribute('aria-busy', 'true');
    try {
      const { showDiff } = await import('./diff-editor.ts');
      await showDiff(host, from, to, diffPath);
      button.hidden = true;
    } catch (error) {
      host.textContent = `The side-by-side view could not load: ${error instanceof Error ? error.message : String(error)}. The diff above shows the same changes.`;
      button.disabled = false;
    } finally {
      host.removeAttribute('aria-busy');
    }
  });
}
