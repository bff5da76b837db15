import { describe, expect, it } from 'vitest';
import { patternsSchema } from './chapter-extras.ts';
import { withFigures } from './inline-figures.ts';
import { readConstant } from './source-figures.ts';

const lease = '<CodeValue stage="10-scaling-out" file="src/worker-main.ts" name="LEASE_MS" times={0.001} unit="s" />';

describe('figures in frontmatter notes', () => {
  it('renders <CodeValue /> from the code, as the chapter does', () => {
    const seconds = readConstant('10-scaling-out', 'src/worker-main.ts', 'LEASE_MS') / 1000;
    expect(withFigures(`a lease of ${lease}`, 'test')).toBe(`a lease of ${seconds} s`);
  });

  it('a note whose constant is gone fails the build instead of showing a stale number', () => {
    expect(() => withFigures('<CodeValue stage="10-scaling-out" file="src/worker-main.ts" name="LEASE_GONE_MS" />', 'the note on lease')).toThrow(/gives LEASE_GONE_MS no number/);
  });

  it('refuses any other component in a note', () => {
    expect(() => withFigures('see <LineCount stage="10-scaling-out" file="src/worker-main.ts" />', 'the note on lease')).toThrow(/the note on lease: .*only <CodeValue \/> and <Measured \/>/);
  });

  it('the content schema renders the notes, and measures their length as shown', () => {
    const [entry] = patternsSchema.parse([{ id: 'lease', note: `held for ${lease}` }]);
    expect(entry!.note).toMatch(/^held for \d+(\.\d+)? s$/);
    // 197 + 1 + "5 s": 201 characters as shown, though the raw note is longer still
    expect(patternsSchema.safeParse([{ id: 'lease', note: `${'x'.repeat(197)} ${lease}` }]).success).toBe(false);
  });
});
