// Chapters 11, 12 and 13's ready-made /ops/ requests send the stage's documented development token:
// the token in the frontmatter must be the one the gateway accepts with its development secret.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as stage11 from '../../examples/11-gateway-and-observability/src/adapters/ops-auth.ts';
import * as stage12 from '../../examples/12-running-it-for-real/src/adapters/ops-auth.ts';
import * as stage13 from '../../examples/13-grpc-contracts/src/adapters/ops-auth.ts';

const tokensOf = (chapter: string) => {
  const text = readFileSync(new URL(`../../chapters/${chapter}.mdx`, import.meta.url), 'utf8');
  const frontmatter = text.split('\n---\n')[0] ?? '';
  return [...frontmatter.matchAll(/Authorization: Bearer ([A-Za-z0-9_.-]+)/g)].map((m) => m[1]);
};

describe.each([
  { chapter: '11-gateway-and-observability', auth: stage11, atLeast: 5 },
  { chapter: '12-running-it-for-real', auth: stage12, atLeast: 2 },
  { chapter: '13-grpc-contracts', auth: stage13, atLeast: 3 },
])('chapter $chapter\'s ops token', ({ chapter, auth, atLeast }) => {
  it('every Authorization header of the ready-made requests is the development token', () => {
    const tokens = tokensOf(chapter);
    expect(tokens.length).toBeGreaterThanOrEqual(atLeast);
    for (const token of tokens) expect(token).toBe(auth.DEV_TOKEN);
  });

  it('the gateway with the development secret accepts it, with the ops scope', async () => {
    expect(await auth.createOpsAuth(auth.DEV_JWT_SECRET)(`Bearer ${auth.DEV_TOKEN}`)).toEqual({ ok: true, subject: 'dev-operator' });
  });
});
