// Chapter 11's ready-made /ops/ requests send the stage's documented development token: the
// token in the frontmatter must be the one the gateway accepts with its development secret.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, DEV_TOKEN, createOpsAuth } from '../../examples/11-gateway-and-observability/src/adapters/ops-auth.ts';

const chapter = readFileSync(new URL('../../chapters/11-gateway-and-observability.mdx', import.meta.url), 'utf8');
const frontmatter = chapter.split('\n---\n')[0] ?? '';

describe('chapter 11\'s ops token', () => {
  it('every Authorization header of the ready-made requests is the development token', () => {
    const tokens = [...frontmatter.matchAll(/Authorization: Bearer ([A-Za-z0-9_.-]+)/g)].map((m) => m[1]);
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    for (const token of tokens) expect(token).toBe(DEV_TOKEN);
  });

  it('the gateway with the development secret accepts it, with the ops scope', async () => {
    expect(await createOpsAuth(DEV_JWT_SECRET)(`Bearer ${DEV_TOKEN}`)).toEqual({ ok: true, subject: 'dev-operator' });
  });
});
