// A share link carries edits in the URL's hash (never sent to a server): JSON, deflated with
// the browser's CompressionStream, in base64url. "#edits=..." on a chapter page (links.ts
// finds it there without loading this module).
import type { FileMap } from '../../runtime/port.ts';

import { shareParam } from './links.ts';

export interface SharedEdits {
  stage: string;
  files: FileMap;
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link is damaged (it has characters base64url never uses)');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function encodeShare(shared: SharedEdits): Promise<string> {
  const json = JSON.stringify({ v: 1, stage: shared.stage, files: shared.files });
  return toBase64Url(await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw')));
}

export async function decodeShare(encoded: string): Promise<SharedEdits> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(encoded), new DecompressionStream('deflate-raw'))));
  } catch {
    throw new Error('the link is damaged or incomplete: ask for it again');
  }
  if (typeof value !== 'object' || value === null) throw new Error('the link holds no edits');
  const { v, stage, files } = value as { v?: unknown; stage?: unknown; files?: unknown };
  if (v !== 1 || typeof stage !== 'string' || typeof files !== 'object' || files === null) throw new Error('the link holds no edits');
  const clean: FileMap = {};
  for (const [path, text] of Object.entries(files)) if (typeof text === 'string') clean[path] = text;
  return { stage, files: clean };
}

/** "#edits=..." for the encoded edits. */
export const shareHash = (encoded: string) => `#${shareParam}=${encoded}`;
