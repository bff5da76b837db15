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
