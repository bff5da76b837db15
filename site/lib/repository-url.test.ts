import { describe, expect, it } from 'vitest';
import { repositoryUrl } from './repository-url.mjs';

describe('repositoryUrl', () => {
  it('is undefined when nothing is configured, never a guess', () => {
    expect(repositoryUrl({}, {})).toBeUndefined();
    expect(repositoryUrl({ repository: { url: '' } }, { PUBLIC_REPOSITORY_URL: '  ' })).toBeUndefined();
  });

  it('prefers PUBLIC_REPOSITORY_URL over package.json', () => {
    expect(repositoryUrl({ repository: 'github:a/b' }, { PUBLIC_REPOSITORY_URL: 'https://example.org/shop' })).toBe('https://example.org/shop');
  });

  it('turns npm’s forms of the field into an address a person opens', () => {
    expect(repositoryUrl({ repository: 'github:owner/name' }, {})).toBe('https://github.com/owner/name');
    expect(repositoryUrl({ repository: 'owner/name' }, {})).toBe('https://github.com/owner/name');
    expect(repositoryUrl({ repository: 'gitlab:owner/name' }, {})).toBe('https://gitlab.com/owner/name');
    expect(repositoryUrl({ repository: { url: 'git+https://github.com/owner/name.git' } }, {})).toBe('https://github.com/owner/name');
    expect(repositoryUrl({ repository: { url: 'git@github.com:owner/name.git' } }, {})).toBe('https://github.com/owner/name');
  });

  it('drops what it cannot open', () => {
    expect(repositoryUrl({ repository: { url: 'file:../elsewhere' } }, {})).toBeUndefined();
  });
});
