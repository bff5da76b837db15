// @ts-check
// A Vite plugin: Monaco's own modules import their CSS files for side effects. Astro adds the
// CSS of everything a page's script can reach, dynamic imports included, to the page's <head>,
// which would make every chapter load ~175 KB of editor CSS before anyone opens the editor.
// This turns each of those imports into a module that adds a <style> when it runs, so the
// CSS arrives with the editor's own (lazily loaded) code. Fonts the CSS points to are still
// emitted as assets by Vite (the `?inline` import resolves their URLs).
const marker = '\0monaco-css:';

/** @returns {import('vite').Plugin} */
export function monacoCssAtRuntime() {
  return {
    name: 'workbench:monaco-css-at-runtime',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!source.endsWith('.css') || !importer?.includes('/node_modules/monaco-editor/')) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      // The id must not end in .css, or Vite's CSS pipeline would take this module for CSS.
      return resolved ? `${marker}${resolved.id}.js` : null;
    },
    load(id) {
      if (!id.startsWith(marker)) return null;
      const file = id.slice(marker.length, -'.js'.length);
      return [
        `import css from ${JSON.stringify(`${file}?inline`)};`,
        `const style = document.createElement('style');`,
        `style.dataset.monaco = '';`,
        `style.textContent = css;`,
        `document.head.append(style);`,
      ].join('\n');
    },
  };
}
