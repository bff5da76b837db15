import { describe, expect, it } from 'vitest';
import { verdictOf } from './check.ts';

describe('the verdict of an exercise check', () => {
  it('is the check’s ✘ line and the reasons under it, without what came before', () => {
    const output = 'some warning\r\n✘ exercise not solved yet:\r\n  - isRetryable says 429 is not worth retrying\r\n\r\n';
    expect(verdictOf(output)).toBe('✘ exercise not solved yet:\n  - isRetryable says 429 is not worth retrying');
  });

  it('is the ✔ line when it passed', () => {
    expect(verdictOf('✔ exercise solved: a 429 is retried\n')).toBe('✔ exercise solved: a 429 is retried');
  });

  it('falls back to the last lines when the check crashed before its verdict', () => {
    const crash = ['file:///x/check.ts:3', 'SyntaxError: Unexpected token', '', 'Node.js v24.0.0'].join('\n');
    expect(verdictOf(crash, 2)).toBe('SyntaxError: Unexpected token\nNode.js v24.0.0');
  });
});
