import { createHighlighter, type Highlighter } from 'shiki';

// One highlighter for the whole build, loaded with only the grammars the examples use:
// loading every grammar would cost seconds of build time for nothing.
const languages = ['ts', 'json', 'sh', 'http', 'sql', 'yaml', 'md', 'diff'] as const;
export type Language = (typeof languages)[number] | 'text';

let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: ['github-light-default', 'github-dark-default'], langs: [...languages] });
  return highlighter;
}

const byExtension: Record<string, Language> = {
  ts: 'ts', mts: 'ts', js: 'ts', mjs: 'ts', json: 'json', sh: 'sh', sql: 'sql', yaml: 'yaml', yml: 'yaml', md: 'md',
};

export function languageOf(path: string): Language {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return byExtension[ext] ?? 'text';
}

/** HTML for a code block that follows the page's light or dark theme through CSS variables. */
export async function highlight(code: string, lang: Language): Promise<string> {
  const shiki = await getHighlighter();
  return shiki.codeToHtml(code, {
    lang,
    themes: { light: 'github-light-default', dark: 'github-dark-default' },
    defaultColor: false,
  });
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Like `highlight`, but only the first `colouredLines` lines get token colours; the rest are
 * plain `.line` spans (same numbering, same click-to-line). A whole 550-line file in colour is
 * thousands of styled spans that a page pays for in layout time before the reader has looked.
 */
export async function highlightHead(code: string, lang: Language, colouredLines: number): Promise<string> {
  const lines = code.split('\n');
  if (lines.length <= colouredLines) return highlight(code, lang);
  const head = await highlight(lines.slice(0, colouredLines).join('\n'), lang);
  const rest = lines.slice(colouredLines).map((line) => `<span class="line">${escapeHtml(line)}</span>`).join('\n');
  const end = head.lastIndexOf('</code></pre>');
  return `${head.slice(0, end)}\n${rest}${head.slice(end)}`;
}

/**
 * The token colours of highlighted HTML as classes: each distinct `style="--shiki-light:…;
 * --shiki-dark:…"` (a theme pair has a dozen or so) becomes `class="<prefix>N"`, and `css`
 * holds one rule per class. A page that shows a whole stage's files carries tens of thousands
 * of tokens; written once per class instead of once per token, their colours cost a few
 * hundred bytes instead of megabytes.
 */
export function tokenStylesToClasses(html: string, prefix = 'tk'): { html: string; css: string } {
  const classes = new Map<string, string>();
  const out = html.replace(/<span style="(--shiki-[^"]*)">/g, (_, style: string) => {
    let name = classes.get(style);
    if (!name) {
      name = `${prefix}${classes.size}`;
      classes.set(style, name);
    }
    return `<span class="${name}">`;
  });
  const css = [...classes].map(([style, name]) => `.${name}{${style.replace(/&quot;/g, '"')}}`).join('\n');
  return { html: out, css };
}
