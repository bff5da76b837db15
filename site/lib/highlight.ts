import { createHighlighter, type Highlighter, type ShikiTransformer } from 'shiki';

// One highlighter for the whole build, loaded with only the grammars the examples and the
// chapters' "same idea elsewhere" sketches (Rust, .proto) use: loading every grammar would
// cost seconds of build time for nothing.
const languages = ['ts', 'json', 'sh', 'http', 'sql', 'yaml', 'md', 'diff', 'rust', 'proto'] as const;
export type Language = (typeof languages)[number] | 'text';

const themes = { light: 'github-light-default', dark: 'github-dark-default' } as const;
type Mode = keyof typeof themes;

let highlighter: Promise<Highlighter> | undefined;

function getHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: Object.values(themes), langs: [...languages] });
  return highlighter;
}

// Token colours travel as classes, not inline styles. Every token used to carry
// style="--shiki-light:#CF222E;--shiki-dark:#FF7B72": two thirds of the HTML of a page of
// code (1.8 of stage 9's 2.7 MB files page). A class names a colour by its place in its
// theme's sorted palette (`l3`, `d7`): the same on every page of a build, so no registry is
// needed; the stylesheet below lists every colour the two themes have. A token in its theme's
// default colour gets no class: it inherits the block's.

interface Palette {
  fallback: string;
  /** colour -> class */
  classes: Map<string, string>;
}

let paletteCache: Promise<Record<Mode, Palette>> | undefined;

// Read from the themes once per build: every code block and every page's stylesheet use them.
function palettes(): Promise<Record<Mode, Palette>> {
  paletteCache ??= readPalettes();
  return paletteCache;
}

async function readPalettes(): Promise<Record<Mode, Palette>> {
  const shiki = await getHighlighter();
  const of = (mode: Mode): Palette => {
    const theme = shiki.getTheme(themes[mode]);
    const colours = new Set(theme.settings.map((rule) => rule.settings?.foreground?.toLowerCase()).filter((c): c is string => Boolean(c)));
    return { fallback: theme.fg.toLowerCase(), classes: new Map([...colours].sort().map((colour, i) => [colour, `${mode[0]}${i}`])) };
  };
  return { light: of('light'), dark: of('dark') };
}

/** The rules that give the colour classes their colours: one per colour of each theme. */
export async function tokenColourCss(): Promise<string> {
  const all = await palettes();
  return (Object.keys(all) as Mode[])
    .flatMap((mode) => [...all[mode].classes].map(([colour, name]) => `.shiki .${name}{--shiki-${mode}:${colour}}`))
    .join('');
}

function coloursAsClasses(all: Record<Mode, Palette>): ShikiTransformer {
  return {
    name: 'colours-as-classes',
    span(node) {
      const style = node.properties.style;
      if (typeof style !== 'string') return;
      const kept: string[] = [];
      const classes: string[] = [];
      for (const declaration of style.split(';').filter(Boolean)) {
        const [name, value = ''] = declaration.split(':');
        const mode = name === '--shiki-light' ? 'light' : name === '--shiki-dark' ? 'dark' : undefined;
        const colour = value.toLowerCase();
        if (!mode) kept.push(declaration);
        else if (colour === all[mode].fallback) continue;
        else if (all[mode].classes.has(colour)) classes.push(all[mode].classes.get(colour)!);
        else kept.push(declaration);
      }
      if (kept.length) node.properties.style = kept.join(';');
      else delete node.properties.style;
      // A fresh value: the span's properties may share their class list with other spans.
      if (classes.length) node.properties.class = classes.join(' ');
    },
  };
}

const byExtension: Record<string, Language> = {
  ts: 'ts', mts: 'ts', js: 'ts', mjs: 'ts', json: 'json', sh: 'sh', sql: 'sql', yaml: 'yaml', yml: 'yaml', md: 'md', proto: 'proto',
};

export function languageOf(path: string): Language {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return byExtension[ext] ?? 'text';
}

/** HTML for a code block that follows the page's light or dark theme through CSS variables. */
export async function highlight(code: string, lang: Language): Promise<string> {
  const shiki = await getHighlighter();
  return shiki.codeToHtml(code, { lang, themes, defaultColor: false, transformers: [coloursAsClasses(await palettes())] });
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
