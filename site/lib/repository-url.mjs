// @ts-check
// The project's repository address, for links such as the remedy of a runtime error. One
// source: PUBLIC_REPOSITORY_URL at build time if set, else package.json's `repository`. Nothing
// configured means no address: callers then leave the link out rather than guess one.

/**
 * @param {{ repository?: string | { url?: string } }} pkg package.json's contents
 * @param {Record<string, string | undefined>} env
 * @returns {string | undefined} a browsable https address
 */
export function repositoryUrl(pkg, env) {
  const configured = env.PUBLIC_REPOSITORY_URL?.trim();
  if (configured) return configured;
  const field = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return field ? browsable(field.trim()) : undefined;
}

/**
 * npm's forms of the field ("github:owner/name", "owner/name", "git+https://host/x.git",
 * "git@host:owner/name.git") as the address a person opens.
 * @param {string} field
 */
function browsable(field) {
  const shorthand = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(field);
  if (shorthand) {
    const host = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }[shorthand[1] ?? 'github'];
    return `https://${host}/${shorthand[2]}`;
  }
  const ssh = /^git@([^:]+):(.+?)(?:\.git)?$/.exec(field);
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
  const url = field.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/\.git$/, '');
  return /^https?:\/\//.test(url) ? url : undefined;
}
