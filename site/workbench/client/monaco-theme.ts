// Monaco's colours follow the page: light or dark as the reader chose, on the page's own
// background, switching live when the theme toggle is pressed. Used by the editor and the
// compare pages' diff editor.
import * as monaco from 'monaco-editor/editor/editor.api.js';

const isDark = () => {
  const theme = document.documentElement.dataset.theme;
  return theme ? theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
};

/** Any CSS colour as #rrggbb, the only form Monaco's themes accept. */
function hexColor(color: string): string | undefined {
  const probe = document.createElement('span');
  probe.style.color = color;
  document.body.append(probe);
  const rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(probe).color);
  probe.remove();
  return rgb ? `#${rgb.slice(1, 4).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}` : undefined;
}

/** Monaco's light or dark theme on the page's own background colour. */
export function followTheme(): void {
  const apply = () => {
    const dark = isDark();
    const name = dark ? 'workbench-dark' : 'workbench-light';
    const background = hexColor(getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()) ?? (dark ? '#0d1117' : '#ffffff');
    monaco.editor.defineTheme(name, { base: dark ? 'vs-dark' : 'vs', inherit: true, rules: [], colors: { 'editor.background': background } });
    monaco.editor.setTheme(name);
  };
  apply();
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', apply);
}
