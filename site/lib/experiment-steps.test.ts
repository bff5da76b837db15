import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { experimentSteps } from './experiment-steps.ts';

const chaptersDir = join(import.meta.dirname, '../../chapters');
const chapterFiles = readdirSync(chaptersDir).filter((name) => /^\d\d-.*\.mdx$/.test(name)).sort();

/** The frontmatter's request labels, read on their own (not through the code under test). */
function labelsOf(mdx: string): string[] {
  const front = /^---\n([\s\S]*?)\n---\n/.exec(mdx)?.[1] ?? '';
  return [...front.matchAll(/^\s*- label:\s*(.+?)\s*$/gm)].map((m) => m[1]!.replace(/^(['"])(.*)\1$/, '$2'));
}

/** The raw text of the experiment section, up to the next level-2 heading. */
function sectionOf(mdx: string): string {
  const start = mdx.search(/^## Experiment/m);
  if (start === -1) return '';
  const rest = mdx.slice(start + 3);
  const end = rest.search(/^## /m);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('experimentSteps on a small chapter', () => {
  const mdx = [
    '---',
    'title: T',
    '---',
    '## Before',
    '1. not an experiment step',
    '## Experiment: try it',
    '',
    'Use the requests, in this order.',
    '',
    '1. **Flags** shows `{"a":1}`. Then **Place an order.**',
    '   It answers <b>201</b>, *really*; see [the API](/api/).',
    '2. Press **Run** and read:',
    '   ```text',
    '   shop ready',
    '   ```',
    '   <Excerpt stage="x" file="y" />',
    'lazy? no: after a component this is prose',
    '',
    '**B. Without it.** Send **Flags** again.',
    '',
    '## Exercise',
    '1. not a step either',
  ].join('\n');
  const experiment = experimentSteps(mdx, ['Flags', 'Place an order', 'Unused'])!;

  it('takes the numbered items of the Experiment section only, and a lettered part', () => {
    expect(experiment.heading).toBe('Experiment: try it');
    expect(experiment.steps.map((s) => s.marker)).toEqual(['1', '2', 'B']);
    expect(experiment.steps[2]!.part).toBe('B. Without it.');
  });

  it('turns bold request labels into the step\'s requests, trailing full stop or not', () => {
    expect(experiment.steps.map((s) => s.requests)).toEqual([['Flags', 'Place an order'], [], ['Flags']]);
  });

  it('escapes text and renders code, bold, emphasis, links and fenced blocks', () => {
    const [first, second] = experiment.steps;
    expect(first!.html).toContain('<code>{&quot;a&quot;:1}</code>');
    expect(first!.html).toContain('&lt;b&gt;201&lt;/b&gt;');
    expect(first!.html).toContain('<em>really</em>');
    expect(first!.html).toContain('<a href="/api/">the API</a>');
    expect(second!.html).toContain('<pre><code>shop ready</code></pre>');
    expect(second!.html).not.toContain('lazy?');
    expect(second!.hasExcerpt).toBe(true);
    expect(first!.hasExcerpt).toBe(false);
  });

  it('is undefined for a chapter without an experiment', () => {
    expect(experimentSteps('## Intro\n\n1. a list\n', ['x'])).toBeUndefined();
  });
});

describe('a number from the code or the measurements inside a step', () => {
  const chapter = (step: string) => `## Experiment: x\n\n1. ${step}\n`;
  it('shows what the chapter shows, not a gap', () => {
    const steps = experimentSteps(chapter('Within <CodeValue stage="10-scaling-out" file="src/worker-main.ts" name="LEASE_MS" times={0.001} unit="s" /> (its lease) a worker claims it.'), []);
    expect(steps?.steps[0]?.html).toBe('<p>Within <strong>5 s</strong> (its lease) a worker claims it.</p>');
  });
  it('adds the constants a time is made of, as the chapter does', () => {
    const steps = experimentSteps(chapter('Within <CodeValue stage="07-surviving-the-network" file="src/adapters/http-payments.ts" name="breakerCooldownMs" plus="src/modules/orders/ask-again.ts:everyMs" times={0.001} unit="s" /> it closes.'), []);
    expect(steps?.steps[0]?.html).toBe('<p>Within <strong>6 s</strong> it closes.</p>');
  });
  it('keeps a line that opens with such a number in its sentence', () => {
    const steps = experimentSteps(chapter('Wait\n   <CodeValue stage="10-scaling-out" file="src/worker-main.ts" name="LEASE_MS" times={0.001} unit="s" /> and send **Jobs**.'), ['Jobs']);
    expect(steps?.steps[0]?.html).toBe('<p>Wait <strong>5 s</strong> and send <strong>Jobs</strong>.</p>');
    expect(steps?.steps[0]?.requests).toEqual(['Jobs']);
  });
  it('stops the build on a component the Steps panel cannot show', () => {
    expect(() => experimentSteps(chapter('See <GrepCount stage="01-single-file" path="src" text="x" /> lines.'), [])).toThrow(/only in the chapter/);
  });
});

describe('experimentSteps on the real chapters', () => {
  for (const file of chapterFiles) {
    const mdx = readFileSync(join(chaptersDir, file), 'utf8');
    const labels = labelsOf(mdx);
    const experiment = experimentSteps(mdx, labels);
    const number = Number(file.slice(0, 2));

    if (number === 0) {
      it(`${file} has no experiment, so no steps`, () => expect(experiment).toBeUndefined());
      continue;
    }

    it(`${file} yields at least one step, each with text`, () => {
      expect(experiment?.steps.length ?? 0).toBeGreaterThanOrEqual(1);
      for (const step of experiment!.steps) expect(step.html.replace(/<[^>]+>/g, '').trim().length).toBeGreaterThan(10);
    });

    it(`${file}: every bold request label in the experiment becomes a button`, () => {
      const named = new Set(
        [...sectionOf(mdx).matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim().replace(/[.:,;!]+$/, '')).filter((text) => labels.includes(text)),
      );
      const buttons = new Set(experiment!.steps.flatMap((step) => step.requests));
      expect([...buttons].sort()).toEqual([...named].sort());
      // No component's markup leaks into a step as text.
      for (const step of experiment!.steps) expect(step.html).not.toMatch(/&lt;[A-Z]/);
    });
  }

  it('chapter 07 has its seven steps, step 5 with the five requests it names', () => {
    const mdx = readFileSync(join(chaptersDir, '07-surviving-the-network.mdx'), 'utf8');
    const experiment = experimentSteps(mdx, labelsOf(mdx))!;
    expect(experiment.steps).toHaveLength(7);
    expect(experiment.steps[4]!.requests).toEqual(['Slow payments down', 'Card charges per order', 'Breaker', 'Heal payments', 'This order']);
  });
});
