// The slice of @webcontainer/api the adapter uses, so tests can hand it a fake
// (../testing/fake-webcontainer.ts) that implements the package's own types.
import type { BootOptions, WebContainer } from '@webcontainer/api';

/** The members of a booted WebContainer this adapter uses. */
export type WebContainerLike = Pick<WebContainer, 'fs' | 'mount' | 'spawn' | 'on'>;

/** The package's entry points this adapter uses (the real module, or a fake in tests). */
export interface WebContainerApi {
  boot(options: BootOptions): Promise<WebContainerLike>;
  configureAPIKey(key: string): void;
}

export async function loadRealApi(): Promise<WebContainerApi> {
  const module = await import('@webcontainer/api');
  return { boot: (options) => module.WebContainer.boot(options), configureAPIKey: module.configureAPIKey } satisfies WebContainerApi;
}
