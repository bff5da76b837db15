// The runner executes code on the reader's machine, so everything a request names is checked
// here before it touches the disk or a process: who may call (host, origin, token), which
// stage, and which file paths.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { RunnerError } from './errors.ts';

export const limits = {
  fileBytes: 1024 * 1024,
  files: 200,
  totalBytes: 5 * 1024 * 1024,
  /** JSON escaping makes a body larger than the text it carries. */
  bodyBytes: 8 * 1024 * 1024,
  outputBytes: 1024 * 1024,
  runs: 3,
  /** What a run may keep on disk: its workspace and its data folder together. */
  diskBytes: 200 * 1024 * 1024,
} as const;

export const tokenHeader = 'x-local-runner-token';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** The runner is only offered when the server is reachable from this machine alone. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

const localNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * DNS rebinding: a foreign site can point its own name at 127.0.0.1, but the browser still
 * sends that name in Host. Only our own names with our own port are served.
 */
export function checkHost(host: string | undefined, port: number): void {
  const allowed = localNames.map((name) => `${name}:${port}`);
  if (port === 80) allowed.push(...localNames);
  if (host === undefined || !allowed.includes(host.toLowerCase())) {
    throw new RunnerError(
      403,
      'forbidden_host',
      `This server only answers requests addressed to localhost:${port} or 127.0.0.1:${port}, not "${host ?? ''}". Open http://localhost:${port}/ instead.`,
    );
  }
}

/** A page of another site may send requests here; browsers name it in Origin. */
export function checkOrigin(origin: string | undefined, port: number): void {
  if (origin === undefined) return;
  const allowed = localNames.map((name) => `http://${name}:${port}`);
  if (port === 80) allowed.push(...localNames.map((name) => `http://${name}`));
  if (!allowed.includes(origin.toLowerCase())) {
    throw new RunnerError(403, 'forbidden_origin', `The local runner only accepts calls from its own pages, not from "${origin}".`);
  }
}

export function checkToken(given: string | string[] | undefined, token: string): void {
  if (given === undefined || given === '') {
    throw new RunnerError(
      401,
      'missing_token',
      `Runner calls need the ${tokenHeader} header with the token from the page's <meta name="local-runner">. A page only carries it when opened through the address \`npm start\` printed (it ends in ?token=…).`,
    );
  }
  const a = Buffer.from(String(given));
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new RunnerError(
      403,
      'bad_token',
      'The runner token does not match this server (was it restarted with another token?). Open the address `npm start` printed (it ends in ?token=…), then reload the page.',
    );
  }
}

export const stagePattern = /^\d\d-[a-z0-9-]+$/;

export function checkStageName(stage: unknown): string {
  if (typeof stage !== 'string' || !stagePattern.test(stage)) {
    throw new RunnerError(400, 'bad_stage', `"${String(stage)}" is not a stage: stages are folders under examples/ named like "01-single-file".`);
  }
  return stage;
}

export function checkSlot(slot: unknown): string {
  if (typeof slot !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(slot)) {
    throw new RunnerError(400, 'bad_slot', 'The slot must be a short name of letters, digits, "-" or "_", such as "main".');
  }
  return slot;
}

/**
 * A path relative to the stage folder, with forward slashes, that cannot leave it by its
 * spelling. (Whether it passes through a symlink is checked on disk by the workspace.)
 */
export function checkFilePath(path: unknown): string {
  const shown = String(path).replace(/\0/g, '\\0');
  const refuse = (why: string) => new RunnerError(400, 'bad_path', `The file path "${shown.length > 80 ? shown.slice(0, 77) + '...' : shown}" was refused: ${why}.`);
  if (typeof path !== 'string' || path === '') throw refuse('it is empty');
  if (path.length > 512) throw refuse('it is longer than 512 characters');
  if (path.includes('\0')) throw refuse('it contains a NUL character');
  if (path.includes('\\')) throw refuse('it contains a backslash; use "/" between folders');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw refuse('it is absolute; paths are relative to the stage folder');
  for (const segment of path.split('/')) {
    if (segment === '..') throw refuse('it climbs out of the stage folder with ".."');
    if (segment === '' || segment === '.') throw refuse('it has an empty or "." folder name');
    // File systems refuse a name over 255 bytes; say so here instead of failing on the disk.
    if (Buffer.byteLength(segment) > 255) throw refuse('a file or folder name in it is longer than 255 bytes');
  }
  return path;
}

/** The stage's files as posted by the page, within the size limits. */
export function checkFiles(files: unknown): Record<string, string> {
  if (typeof files !== 'object' || files === null || Array.isArray(files)) {
    throw new RunnerError(400, 'bad_files', '"files" must be an object mapping paths to file contents.');
  }
  const entries = Object.entries(files);
  if (entries.length > limits.files) {
    throw new RunnerError(413, 'too_many_files', `A run may carry at most ${limits.files} files; this one has ${entries.length}.`);
  }
  let total = 0;
  const checked: Record<string, string> = Object.create(null);
  for (const [path, text] of entries) {
    checkFilePath(path);
    if (typeof text !== 'string') throw new RunnerError(400, 'bad_files', `The contents of "${path}" must be text.`);
    const bytes = Buffer.byteLength(text);
    if (bytes > limits.fileBytes) {
      throw new RunnerError(413, 'file_too_large', `"${path}" is ${(bytes / 1024 / 1024).toFixed(1)} MB; a file may be at most 1 MB.`);
    }
    total += bytes;
    checked[path] = text;
  }
  if (total > limits.totalBytes) {
    throw new RunnerError(413, 'files_too_large', `The files add up to ${(total / 1024 / 1024).toFixed(1)} MB; a run may carry at most 5 MB.`);
  }
  return checked;
}
