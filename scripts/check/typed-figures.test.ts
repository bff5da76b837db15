import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTypedFigures, typedMeasuredFigures, typedNoteFigures } from './typed-figures.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('measured figures are never typed by hand', () => {
  it('flags a Run -> Ready time, a memory figure and a process count typed beside the bench', () => {
    const chapter = [
      '---\ntitle: x\n---\n',
      'On the Local runtime (`npm run bench -- --only run-ready`), Run → Ready took a median',
      '19.9 s. The bench counts 9 Node processes (stage 8: 8), using 1.50 GB of memory (RSS).',
    ].join('\n');
    expect(typedMeasuredFigures(chapter).map((f) => f.split('" in')[0])).toEqual(['"19.9 s', '"9 Node processes', '"(stage 8: 8)', '"1.50 GB']);
  });

  it('also watches the other scripts that write measurements.json: latencies, peaks and process counts', () => {
    const chapter = [
      'Measured with `node scripts/measure.ts --record` in the stage: thirteen processes, the server was 15 processes',
      'using 166 MB (PSS). With `npm run bench:calls`, a charge took a median 1.9 ms in process (3.7x).',
      '',
      'With `node scripts/bench/peak-rss.ts 03-real-persistence`, its peak is close to 1 GB.',
    ].join('\n');
    expect(typedMeasuredFigures(chapter).map((f) => f.split('" in')[0])).toEqual(['"15 processes', '"166 MB', '"1.9 ms', '"3.7x', '"1 GB']);
  });

  it('leaves rendered figures, code blocks and paragraphs that do not quote the bench alone', () => {
    const chapter = [
      'With `npm run bench`, Run → Ready took <Measured figure="run-ready/09-saga/ready-median" as="s" />',
      'and the stage held <Measured figure="run-ready/09-saga/rss" as="GB">1.50 GB</Measured> (RSS).',
      '',
      '```text\nnpm run bench: Run -> Ready 6.7 s\n```',
      '',
      'The relay wakes every 200 ms; memory is not measured here.',
    ].join('\n');
    expect(typedMeasuredFigures(chapter)).toEqual([]);
  });

  it('flags a number typed into a pattern note in the frontmatter, digits or spelt out', () => {
    const chapter = [
      '---',
      'title: x',
      'patterns:',
      '  - { id: timeout, note: "3 s on every request to payments" }',
      '  - { id: lease, note: "`locked_by` and `locked_until`, five seconds" }',
      '  - { id: retry-with-backoff, note: \'waits <CodeValue stage="10-scaling-out" file="src/shared/job-queue.ts" name="RETRY_FIRST_MS" unit="ms" />, then 2x\' }',
      '  - { id: correlation-id, note: "carried as W3C baggage, `5xx` in code is fine" }',
      '  - metrics',
      '---',
      'Body text with 42 in it is not a note.',
    ].join('\n');
    expect(typedNoteFigures(chapter).map((f) => f.split('" in')[0])).toEqual(['"3', '"five seconds', '"2']);
  });

  it('the chapters have none', () => {
    expect(checkTypedFigures(join(root, 'chapters')).problems).toEqual([]);
  });
});
