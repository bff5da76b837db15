// What every Monaco editor on the site shares, the workbench's code editor and the compare
// page's diff editors alike: the languages the stages' files are written in, and a theme
// that follows the page's light or dark setting on the page's own background colour.
import './monaco-env.ts';
import 'monaco-editor/internal/common/workers.js'; // The editor's contributions: hover, find, suggest...
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/languages/definitions/typescript/register.js';
import 'monaco-editor/languages/definitions/markdown/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/sql/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';

export { monaco };

let registered = false;
/** JSON gets a small tokenizer of its own: Monaco's JSON language service is not bundled. */
export function registerLanguages(): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: 'json', extensions: ['.json'] });
  monaco.languages.setMonarchTokensProvider('json', {
    tokenizer: {
      root: [
        [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
        [/"(?:[^"\\]|\\.)*"/, 'string'],
        [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
        [/\b(?:true|false|null)\b/, 'keyword'],
        [/[{}[\],:]/, 'delimiter'],
      ],
    },
  });
}

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

let following = false;
/** Monaco's light or dark theme on the page's own background colour; the theme is page-wide. */
export function followTheme(): void {
  if (following) return;
  following = true;
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
