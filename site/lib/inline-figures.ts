// A number from the code or from measurements.json written inside a sentence as the chapter's
// component, <CodeValue … /> or <Measured … />, rendered to the text the component shows. The
// places MDX does not render components use this: the workbench's Steps panel
// (experiment-steps.ts) and the notes in a chapter's frontmatter (pattern notes, read by
// ChapterPatterns and the glossary). One renderer, so a figure reads the same everywhere.
import { readMeasurements, renderFigure, type Format } from './measurements.ts';
import { renderCodeValue } from './source-figures.ts';

/** A self-closing <CodeValue /> or <Measured /> (or any other component, which is refused). */
export const INLINE_COMPONENT = /<[A-Z][^>]*?\/>/g;

/** The attributes of a self-closing component: name="text" and name={number}. */
function attributesOf(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/(\w+)=(?:"([^"]*)"|\{([^}]*)\})/g)].map((m) => [m[1]!, m[2] ?? m[3]!]));
}

/** What <CodeValue /> or <Measured /> shows in the chapter; undefined for any other component. */
export function inlineFigure(tag: string): string | undefined {
  const name = /^<(\w+)/.exec(tag)![1];
  const a = attributesOf(tag);
  if (name === 'CodeValue') {
    return renderCodeValue({ stage: a.stage!, file: a.file!, name: a.name!, plus: a.plus, times: a.times, unit: a.unit });
  }
  if (name === 'Measured') {
    return renderFigure(readMeasurements(), a.figure!, { ...(a.as ? { as: a.as as Format['as'] } : {}), ...(a.digits ? { digits: Number(a.digits) } : {}) });
  }
  return undefined;
}

/** A frontmatter note with its <CodeValue /> and <Measured /> rendered; `where` names it in errors. */
export function withFigures(text: string, where: string): string {
  return text.replace(INLINE_COMPONENT, (tag) => {
    const figure = inlineFigure(tag);
    if (figure === undefined) throw new Error(`${where}: ${tag} cannot be shown in a note; only <CodeValue /> and <Measured /> can`);
    return figure;
  });
}
