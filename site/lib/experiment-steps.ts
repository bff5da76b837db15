// The steps of a chapter's experiment, read at build time from the chapter's own MDX (the
// "## Experiment…" section), so the workbench's Steps panel never drifts from the prose. Each
// numbered item is a step; a bold word that names one of the chapter's ready-made requests
// (**Place an order**) becomes that step's request button. A paragraph that opens with a bold
// letter ("**B. Without it.** …") starts a part: the list after it belongs to it, or, with no
// list, the paragraph is the step itself.
//
// Only the Markdown the chapters use is understood: paragraphs, fenced code, inline code, bold,
// emphasis and links. A number from the code or from measurements.json inside a sentence
// (<CodeValue />, <Measured />) is rendered here as in the chapter; any other component on a
// line of its own (<Excerpt />) is left to the chapter, and the step says so.
import { inlineFigure } from './inline-figures.ts';

export interface ExperimentStep {
  /** "3", or "B" for a part that is one paragraph. */
  marker: string;
  /** The part the step belongs to, as written ("A. With the outbox."). */
  part?: string;
  /** The step's text as HTML, escaped; code blocks as <pre>. */
  html: string;
  /** The labels of the ready-made requests the step names, in the order it names them. */
  requests: string[];
  /** The step shows code the Steps panel cannot (an excerpt): read it in the chapter. */
  hasExcerpt: boolean;
}

export interface Experiment {
  /** The heading's text, without "## ". */
  heading: string;
  steps: ExperimentStep[];
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A bold phrase as a request label: "Stop the inventory consumer." names "Stop the inventory consumer". */
const asLabel = (text: string) => text.replace(/\s+/g, ' ').trim().replace(/[.:,;!]+$/, '');

function withoutFrontmatter(mdx: string): string {
  if (!mdx.startsWith('---\n')) return mdx;
  const end = mdx.indexOf('\n---\n', 4);
  return end === -1 ? mdx : mdx.slice(end + 5);
}

/** The lines of the experiment section, and its heading; undefined when the chapter has none. */
function experimentSection(mdx: string): { heading: string; lines: string[] } | undefined {
  const lines = withoutFrontmatter(mdx).split('\n');
  let fenced = false;
  let start = -1;
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    if (start === -1) {
      const found = /^## (Experiment\b.*)$/.exec(line);
      if (found) {
        start = i + 1;
        heading = found[1]!.trim();
      }
    } else if (/^#{1,2} /.test(line)) {
      return { heading, lines: lines.slice(start, i) };
    }
  }
  return start === -1 ? undefined : { heading, lines: lines.slice(start) };
}

/** A line that opens with one of these is a sentence that starts with a number, not a block. */
const INLINE_FIGURE = /^\s*<(?:CodeValue|Measured)\b/;

/** What <CodeValue /> or <Measured /> shows in the chapter; another inline component stops the build. */
function inlineFigureInStep(tag: string): string {
  const figure = inlineFigure(tag);
  if (figure === undefined) {
    throw new Error(`the experiment's steps show ${tag} only in the chapter, not in the workbench's Steps panel: use <CodeValue /> or <Measured /> inside a step, or move it out of the step`);
  }
  return figure;
}

class InlineRenderer {
  readonly requests: string[] = [];
  private readonly labels: ReadonlySet<string>;
  constructor(labels: ReadonlySet<string>) {
    this.labels = labels;
  }

  render(text: string): string {
    const pattern = /(`+)([\s\S]*?)\1|\*\*([\s\S]+?)\*\*|\*([^*\s][^*]*?)\*|\[([^\]]+)\]\(([^)\s]+)\)|<[A-Z][^>]*?\/>/g;
    let html = '';
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      html += escapeHtml(text.slice(at, match.index));
      at = match.index + match[0].length;
      const [, ticks, code, strong, em, linkText, href] = match;
      if (ticks !== undefined) html += `<code>${escapeHtml(code!.trim())}</code>`;
      else if (strong !== undefined) {
        const label = asLabel(strong);
        if (this.labels.has(label) && !this.requests.includes(label)) this.requests.push(label);
        html += `<strong>${this.render(strong)}</strong>`;
      } else if (em !== undefined) html += `<em>${this.render(em)}</em>`;
      else if (linkText !== undefined) html += `<a href="${escapeHtml(href!)}">${this.render(linkText)}</a>`;
      else html += `<strong>${escapeHtml(inlineFigureInStep(match[0]))}</strong>`;
    }
    return html + escapeHtml(text.slice(at));
  }
}

/** One step's lines (the list marker and indentation taken off) to HTML. */
function renderBlocks(lines: string[], labels: ReadonlySet<string>): Omit<ExperimentStep, 'marker' | 'part'> {
  const inline = new InlineRenderer(labels);
  const html: string[] = [];
  let hasExcerpt = false;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) html.push(`<p>${inline.render(paragraph.join(' '))}</p>`);
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) code.push(lines[i]!);
      const indent = Math.min(...code.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
      html.push(`<pre><code>${escapeHtml(code.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n'))}</code></pre>`);
    } else if (/^\s*<[A-Z]/.test(line) && !INLINE_FIGURE.test(line)) {
      flush();
      hasExcerpt = true;
      // A component may span lines: skip to its end.
      while (i < lines.length && !/\/?>\s*$/.test(lines[i]!)) i++;
    } else if (!line.trim()) flush();
    else paragraph.push(line.trim());
  }
  flush();
  return { html: html.join(''), requests: inline.requests, hasExcerpt };
}

/**
 * The experiment's steps, or undefined when the chapter has no "## Experiment" section or the
 * section has no steps. `labels` are the chapter's ready-made request labels.
 */
export function experimentSteps(mdx: string, labels: readonly string[]): Experiment | undefined {
  const section = experimentSection(mdx);
  if (!section) return undefined;
  const known = new Set(labels);
  const steps: ExperimentStep[] = [];
  const { lines } = section;
  let part: string | undefined;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const item = /^(\d+)\.\s+(.*)$/.exec(line);
    if (item) {
      const width = line.length - item[2]!.length;
      const body = [item[2]!];
      // Whether the line before continues a paragraph, which a lazy (unindented) line may extend.
      let inText = true;
      let fenced = false;
      for (; i + 1 < lines.length; i++) {
        const next = lines[i + 1]!;
        const indented = next.startsWith(' '.repeat(width)) || next.startsWith('\t');
        if (!next.trim()) inText = false;
        else if (indented) {
          const trimmed = next.trim();
          if (trimmed.startsWith('```')) fenced = !fenced;
          inText = !fenced && !trimmed.startsWith('```') && !trimmed.startsWith('<');
        } else if (!inText || /^(\d+\.\s|#|```|<|[-*]\s)/.test(next)) break;
        body.push(indented ? next.slice(width) : next);
      }
      steps.push({ marker: item[1]!, ...(part ? { part } : {}), ...renderBlocks(body, known) });
      continue;
    }
    const partStart = /^\*\*([A-Z])\.\s+(.+?)\*\*\s*(.*)$/.exec(line);
    if (partStart) {
      part = `${partStart[1]}. ${partStart[2]}`;
      const rest = [partStart[3]!];
      while (i + 1 < lines.length && lines[i + 1]!.trim()) rest.push(lines[++i]!);
      const text = rest.join('\n').trim();
      if (text) steps.push({ marker: partStart[1]!, part, ...renderBlocks(text.split('\n'), known) });
    }
  }
  return steps.length ? { heading: section.heading, steps } : undefined;
}
