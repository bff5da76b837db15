// Astro view transitions. The router replaces <body> on navigation, which would drop the
// iframe WebContainer runs in. Elements marked data-astro-transition-persist are moved to the
// new page instead; where the browser has Element.moveBefore() (Chromium 133+) a moved iframe
// keeps running. Elsewhere moving it reloads it, which kills the container and can never be
// undone in this page (the package caches its connection to the first iframe), so the
// navigation becomes a full page load and the next page boots afresh. Without <ClientRouter />
// none of these events fire and every chapter is a full page load anyway.
let transitionsHandled = false;

export function keepAcrossViewTransitions(doc: Document): void {
  if (transitionsHandled) return;
  transitionsHandled = true;
  const runtimeFrames = () => [...doc.querySelectorAll<HTMLIFrameElement>('iframe[src*="/headless"]')];
  doc.addEventListener('astro:before-preparation', (event) => {
    if (runtimeFrames().length && typeof (doc.documentElement as { moveBefore?: unknown }).moveBefore !== 'function') event.preventDefault();
  });
  doc.addEventListener('astro:before-swap', (event) => {
    const newDocument = (event as Event & { newDocument?: Document }).newDocument;
    runtimeFrames().forEach((frame, index) => {
      const id = `webcontainer-runtime-${index}`;
      frame.setAttribute('data-astro-transition-persist', id);
      if (!newDocument?.querySelector(`[data-astro-transition-persist="${id}"]`)) {
        const placeholder = newDocument?.createElement('div');
        placeholder?.setAttribute('data-astro-transition-persist', id);
        if (placeholder) newDocument?.body.append(placeholder);
      }
    });
  });
}
